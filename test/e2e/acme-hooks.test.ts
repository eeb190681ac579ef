/**
 * The DNS-01 hooks as ACME clients run them (separate processes, settings from the environment)
 * against the sandbox: concurrent presents for the apex and the wildcard, cleanups that remove
 * exactly their own value, acme.sh's dnsapi functions, --sandbox --state, and the policy switches.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { createApiClient } from '../../src/api/client.js';
import { queryDns } from '../../src/dns/query.js';
import { startHarness, type Harness } from '../helpers/harness.js';

const ROOT = resolve(import.meta.dirname, '../..');
const ENTRY = join(ROOT, 'dist/index.js');
const APEX = 'Xq0DWlyplN-8tuMbJlnJUvRVpqIRAdqb9KvRi4mHzu0';
const WILD = 'LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0';
const KEEP = 'someone-elses-value-0123456789';

function run(cmd: string, args: string[], env: Record<string, string>): Promise<{ code: number; err: string }> {
  return new Promise((done) => {
    execFile(cmd, args, { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env }, timeout: 60_000 }, (e, _out, err) => done({ code: e ? ((e as { code?: number }).code ?? 1) : 0, err }));
  });
}
const hook = (args: string[], env: Record<string, string>) => run('node', [ENTRY, 'acme', ...args], env);

describe('DNS-01 hooks against the sandbox', () => {
  let sb: Sandbox;
  let env: Record<string, string>;
  const api = () => createApiClient({ baseUrl: sb.env.VPSORG_API_URL, token: sb.env.VPSORG_API_TOKEN, timeoutMs: 5000 });
  const zoneRecords = async () => {
    const zone = (await api().listZones({ domain: 'example.com' })).items[0]!;
    return (await api().listZoneRecords(zone.uuid)).items;
  };
  const challengeValues = async () => (await zoneRecords()).filter((r) => r.record_type === 'TXT' && r.name.startsWith('_acme-challenge')).map((r) => r.value).sort();
  const served = async (i: number) => {
    const ns = sb.nameservers[i]!;
    const r = await queryDns({ address: ns.address, port: ns.port }, '_acme-challenge.example.com', 'TXT');
    return r.ok ? r.answers.filter((a) => a.type === 'TXT').map((a) => a.value) : [];
  };

  beforeAll(async () => {
    sb = await startSandbox({ publishDelayMs: [0, 2000] });
    const zone = (await api().listZones({ domain: 'example.com' })).items[0]!;
    await api().createRecord(zone.uuid, { record_type: 'TXT', name: '_acme-challenge', value: KEEP, ttl: 300 });
    env = { VPSORG_API_URL: sb.env.VPSORG_API_URL, VPSORG_API_TOKEN: sb.env.VPSORG_API_TOKEN, VPSORG_NAMESERVERS: sb.env.VPSORG_NAMESERVERS };
  });
  afterAll(() => sb?.close());

  it('two concurrent presents (apex and wildcard) both succeed, and each nameserver serves both values', async () => {
    const [a, b] = await Promise.all([
      hook(['certbot-auth'], { ...env, CERTBOT_DOMAIN: 'example.com', CERTBOT_VALIDATION: APEX }),
      hook(['certbot-auth'], { ...env, CERTBOT_DOMAIN: '*.example.com', CERTBOT_VALIDATION: WILD }),
    ]);
    expect(a, a.err).toMatchObject({ code: 0 });
    expect(b, b.err).toMatchObject({ code: 0 });
    expect(a.err).toMatch(/^vpsorg-dns-mcp acme: _acme-challenge.example.com TXT served by all 2 nameserver addresses after \d+\.\d s\n$/);
    for (const i of [0, 1]) {
      const values = await served(i);
      expect(values.join(' ')).toContain(APEX);
      expect(values.join(' ')).toContain(WILD);
      expect(values.join(' ')).toContain(KEEP);
    }
    expect(await challengeValues()).toEqual([APEX, WILD, KEEP].sort());
  });

  it('cleanup removes exactly its own value; a second cleanup succeeds with a note', async () => {
    const first = await hook(['lego', 'cleanup', '_acme-challenge.example.com.', APEX], env);
    expect(first, first.err).toMatchObject({ code: 0 });
    expect(await challengeValues()).toEqual([WILD, KEEP].sort());
    const again = await hook(['lego', 'cleanup', '_acme-challenge.example.com.', APEX], env);
    expect(again.code).toBe(0);
    expect(again.err).toMatch(/not there .*nothing to remove/);
    expect(again.err.trim().split('\n')).toHaveLength(1);
    const raw = await hook(['lego', 'cleanup', '--', '*.example.com', 'token', 'key-auth-that-was-never-presented'], { ...env, EXEC_MODE: 'RAW' });
    expect(raw.code).toBe(0);
    expect(await challengeValues()).toEqual([WILD, KEEP].sort());
    await hook(['certbot-cleanup'], { ...env, CERTBOT_DOMAIN: 'example.com', CERTBOT_VALIDATION: WILD });
    expect(await challengeValues()).toEqual([KEEP]);
  });

  it("acme.sh's dns_vpsorg.sh: dns_vpsorg_add and dns_vpsorg_rm, sourced and called as acme.sh does", async () => {
    const script = [
      // The helpers acme.sh defines before it calls a dnsapi function.
      '_info() { echo "[info] $*" >&2; }; _err() { echo "[error] $*" >&2; }; _debug() { :; }',
      '_readaccountconf_mutable() { :; }; _saveaccountconf_mutable() { echo "saved $1" >&2; }',
      `. ${join(ROOT, 'hooks/dns_vpsorg.sh')}`,
      `dns_vpsorg_add _acme-challenge.www.example.com "${APEX}" || exit 11`,
      `dns_vpsorg_rm _acme-challenge.www.example.com "${APEX}" || exit 12`,
      `dns_vpsorg_add _acme-challenge.www.other.org "${APEX}" && exit 13`,
      'exit 0',
    ].join('\n');
    const r = await run('sh', ['-c', script], { ...env, VPSORG_DNS_MCP: `node ${ENTRY}` });
    expect(r, r.err).toMatchObject({ code: 0 });
    expect(r.err).toMatch(/_acme-challenge.www.example.com TXT served by all 2/);
    expect(r.err).toMatch(/_acme-challenge.www.example.com TXT value removed/);
    expect(r.err).toMatch(/No zone in this account contains _acme-challenge.www.other.org/);
    expect(r.err).toMatch(/saved VPSORG_API_TOKEN/);
    expect((await zoneRecords()).some((r) => r.name.startsWith('_acme-challenge.www'))).toBe(false);
  });

  it('read-only mode, toolsets and the allowlist apply to the hooks', async () => {
    const args = ['present', 'example.com', APEX];
    for (const [extra, why] of [[['--read-only'], /not available.*Read-only/], [['--toolsets', 'records'], /not available.*Toolsets limited/], [['--allowed-zones', 'other.org'], /outside VPSORG_ALLOWED_ZONES/]] as const) {
      const r = await hook([...args, ...extra], env);
      expect(r.code).not.toBe(0);
      expect(r.err).toMatch(why);
    }
    expect(await challengeValues()).toEqual([KEEP]);
  });

  it('rejects a value that is not a DNS-01 digest, and a token never shows in the output', async () => {
    const r = await hook(['present', 'example.com', 'v=spf1 -all'], env);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/value: must be the DNS-01 validation string/);
    const u = await hook(['lego', 'present', 'only-one-arg'], env);
    expect(u.code).toBe(2);
    expect(`${r.err}${u.err}`).not.toContain(sb.env.VPSORG_API_TOKEN);
  });
});

describe('hooks with --sandbox --state FILE', () => {
  it('present keeps the value in the state file; cleanup takes it out again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'acme-state-'));
    const state = join(dir, 'state.json');
    try {
      const p = await hook(['lego', 'present', '_acme-challenge.example.com.', APEX, '--sandbox', '--state', state], { EXEC_PROPAGATION_TIMEOUT: '20' });
      expect(p, p.err).toMatchObject({ code: 0 });
      expect(readFileSync(state, 'utf8')).toContain(APEX);
      const c = await hook(['certbot-cleanup', '--sandbox', '--state', state], { CERTBOT_DOMAIN: '*.example.com', CERTBOT_VALIDATION: APEX });
      expect(c, c.err).toMatchObject({ code: 0 });
      expect(readFileSync(state, 'utf8')).not.toContain(APEX);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('acme_challenge over MCP', () => {
  let sb: Sandbox;
  let h: Harness;
  beforeAll(async () => {
    sb = await startSandbox({ publishDelayMs: [0, 2000] });
    h = await startHarness({ emu: sb.emu, env: { VPSORG_API_TOKEN: sb.env.VPSORG_API_TOKEN, VPSORG_NAMESERVERS: sb.env.VPSORG_NAMESERVERS } });
  });
  afterAll(async () => {
    await h?.close();
    await sb?.close();
  });

  it('present waits until both nameservers serve the value; a short wait says to call again', async () => {
    const quick = await h.call('acme_challenge', { action: 'present', domain: '*.example.com', value: WILD, wait_seconds: 0 });
    expect(quick.isError).toBeFalsy();
    expect(quick.structured).toMatchObject({ served: false, changed: true, name: '_acme-challenge.example.com' });
    expect(quick.text).toMatch(/not served by ns2\.vps\.org .*call present again/s);
    const full = await h.call('acme_challenge', { action: 'present', domain: '*.example.com', value: WILD, wait_seconds: 20 });
    expect(full.structured).toMatchObject({ served: true, changed: false, notes: ['The value was already there: nothing added.'] });
    expect((full.structured?.['servers'] as unknown[]).length).toBe(2);
  });

  it('cleanup of a value that is not there succeeds with a note; bad input names the field', async () => {
    const gone = await h.call('acme_challenge', { action: 'cleanup', domain: 'example.com', value: APEX });
    expect(gone.isError).toBeFalsy();
    expect(gone.structured).toMatchObject({ changed: false, served: null });
    expect(gone.text).toMatch(/nothing to remove/);
    const removed = await h.call('acme_challenge', { action: 'cleanup', domain: 'example.com', value: WILD });
    expect(removed.structured).toMatchObject({ changed: true });
    const long = await h.call('acme_challenge', { action: 'present', domain: 'example.com', value: APEX, wait_seconds: 600 });
    expect(long.isError).toBe(true);
    expect(long.text).toMatch(/wait_seconds/);
    const typo = await h.call('acme_challenge', { action: 'present', domain: 'example.com', value: APEX, dry_run: true });
    expect(typo.isError).toBe(true);
    expect(typo.text).toMatch(/dry_run/);
  });
});
