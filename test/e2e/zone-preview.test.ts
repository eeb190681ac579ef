/**
 * Issue 25 point 6, a dry run you can dig: plan_zone / apply_zone with preview: true serve the
 * planned zone on a loopback nameserver. Checked with BIND's own `dig` and `named-checkzone`
 * against the sandbox (emulator + its nameservers); after the plan is applied, the sandbox's
 * nameservers serve every RRset exactly as the preview did.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { PreviewBook, PREVIEW_TTL_MS } from '../../src/dns/preview-book.js';
import { callAgreeing, startHarness, type Harness } from '../helpers/harness.js';

const run = promisify(execFile);
const clock = { now: Date.now() };
const t = {} as { sb: Sandbox; h: Harness; book: PreviewBook; tmp: string };

const LONG = `v=DKIM1; k=rsa; p=${'A'.repeat(600)}`;
const ZONE = 'preview.example';
const seed = [
  { record_type: 'A', name: 'www', value: '192.0.2.1' },
  { record_type: 'MX', name: '@', value: 'mail.preview.example', priority: 10 },
  { record_type: 'A', name: 'mail', value: '192.0.2.25' },
];
// Creates a long TXT and an apex NS set of the provider's plus one more; changes www (a replaced value: held).
const desired = [
  { record_type: 'A', name: 'www', value: '192.0.2.2' },
  { record_type: 'TXT', name: 'sel._domainkey', value: LONG },
  { record_type: 'AAAA', name: 'v6', value: '2001:db8::6' },
];

beforeAll(async () => {
  t.tmp = mkdtempSync(join(tmpdir(), 'vpsorg-preview-'));
  t.sb = await startSandbox({ publishDelayMs: [0, 0] });
  for (const z of [ZONE, 'other.example']) t.sb.emu.store.addZone(z, seed);
  t.book = new PreviewBook({ host: '127.0.0.1', port: 0 }, () => clock.now);
  t.h = await startHarness({ emu: t.sb.emu, env: t.sb.env, deps: { previews: t.book } });
});

afterAll(async () => {
  await t.h?.close();
  await t.book?.close();
  await t.sb?.close();
  rmSync(t.tmp, { recursive: true, force: true });
});

interface PreviewResult {
  id: string;
  server: string;
  dig: string;
  serial: number;
  zone_file?: string;
}

async function preview(tool: 'plan_zone' | 'apply_zone', args: Record<string, unknown>): Promise<PreviewResult> {
  const r = await t.h.call(tool, { zone: ZONE, records: desired, preview: true, ...(tool === 'apply_zone' ? { dry_run: true } : {}), ...args });
  expect(r.isError, r.text).toBeFalsy();
  return r.structured?.['preview'] as PreviewResult;
}

/** `dig` as a person would type it; the answer and authority sections, one RR per line. */
async function dig(server: string, name: string, type: string): Promise<{ flags: string; rrs: string[]; status: string }> {
  const [host, port] = server.split(':') as [string, string];
  const { stdout } = await run('dig', [`@${host}`, '-p', port, name, type, '+norec', '+tries=2', '+time=3']);
  const flags = /;; flags: ([a-z ]+);/.exec(stdout)?.[1] ?? '';
  const status = /status: ([A-Z]+)/.exec(stdout)?.[1] ?? '';
  const rrs = stdout.split('\n').filter((l) => l && !l.startsWith(';')).map((l) => l.split(/\s+/).join(' ')).sort();
  return { flags, rrs, status };
}

const sandboxNs = () => `${t.sb.nameservers[0]?.address}:${t.sb.nameservers[0]?.port}`;
const withoutSerial = (rr: string) => rr.replace(/( SOA \S+ \S+ )\d+/, '$1<serial>');

describe('a dry run you can dig (issue 25.6)', () => {
  it('dig answers the planned values with AA, the SOA serial + 1, the long TXT in 255-byte strings', async () => {
    const p = await preview('plan_zone', {});
    expect(p.id).toMatch(/^pv_/);
    expect(p.dig).toMatch(new RegExp(`^dig @127\\.0\\.0\\.1 -p ${p.server.split(':')[1]} `));
    const www = await dig(p.server, `www.${ZONE}`, 'A');
    expect(www.flags.split(' ')).toContain('aa');
    expect(www.rrs).toEqual([`www.${ZONE}. 3600 IN A 192.0.2.2`]);
    const txt = await dig(p.server, `sel._domainkey.${ZONE}`, 'TXT');
    const strings = txt.rrs[0]?.match(/"[^"]*"/g) ?? [];
    expect(strings.map((s) => s.length - 2)).toEqual([255, 255, LONG.length - 510]);
    const live = await dig(sandboxNs(), ZONE, 'SOA');
    const served = Number(live.rrs[0]?.split(' ')[6]);
    expect((await dig(p.server, ZONE, 'SOA')).rrs[0]?.split(' ')[6]).toBe(String(served + 1));
    expect(p.serial).toBe(served + 1);
    // The live zone is untouched: the sandbox still serves the old address.
    expect((await dig(sandboxNs(), `www.${ZONE}`, 'A')).rrs).toEqual([`www.${ZONE}. 3600 IN A 192.0.2.1`]);
  });

  it("named-checkzone accepts the preview's zone file", async () => {
    const p = await preview('apply_zone', {});
    const file = join(t.tmp, `${ZONE}.zone`);
    writeFileSync(file, p.zone_file ?? '');
    const { stdout } = await run('named-checkzone', ['-k', 'fail', ZONE, file]);
    expect(stdout).toMatch(new RegExp(`loaded serial ${p.serial}\\n`));
    expect(stdout).toMatch(/OK/);
  });

  it('check_propagation and check_delegation ask the future zone', async () => {
    const p = await preview('plan_zone', { records: [...desired, { record_type: 'NS', name: '@', value: 'ns9.elsewhere.example' }, { record_type: 'NS', name: '@', value: 'ns1.vps.org' }, { record_type: 'NS', name: '@', value: 'ns2.vps.org' }] });
    const one = await t.h.call('check_propagation', { zone: ZONE, name: 'www', record_type: 'A', expected: ['192.0.2.2'], preview: p.id });
    expect(one.structured?.['propagated'], one.text).toBe(true);
    const all = await t.h.call('check_propagation', { zone: ZONE, preview: p.id });
    expect(all.structured, all.text).toMatchObject({ propagated: true, mode: 'zone' });
    const now = await t.h.call('check_delegation', { zone: ZONE });
    expect(now.structured?.['ok'], now.text).toBe(true);
    const future = await t.h.call('check_delegation', { zone: ZONE, preview: p.id });
    expect(future.structured?.['served_ns'], future.text).toContain('ns9.elsewhere.example');
    expect(future.structured?.['ok']).toBe(false);
    expect(future.text).toMatch(/only at apex: ns9\.elsewhere\.example;/);
  });

  it('applying with the preview id applies exactly the preview: every RRset the sandbox serves then equals it', async () => {
    const p = await preview('plan_zone', {});
    // Held or not (the zone's change budget decides), the same preview id goes with every round.
    const done = await callAgreeing(t.h, 'apply_zone', { zone: ZONE, records: desired, preview: p.id });
    expect(done.structured?.['applied'], done.text).toBe(true);
    const names = ['', 'www.', 'mail.', 'v6.', 'sel._domainkey.', 'nothing-here.'].map((n) => `${n}${ZONE}`);
    const types = ['SOA', 'NS', 'A', 'AAAA', 'MX', 'TXT', 'CNAME'];
    let compared = 0;
    for (const name of names) {
      for (const type of types) {
        const [want, got] = await Promise.all([dig(p.server, name, type), dig(sandboxNs(), name, type)]);
        expect({ q: `${name} ${type}`, status: got.status, rrs: got.rrs.map(withoutSerial) }).toEqual({ q: `${name} ${type}`, status: want.status, rrs: want.rrs.map(withoutSerial) });
        compared += want.rrs.length;
      }
    }
    expect(compared).toBeGreaterThan(20);
  });

  it('a preview id of another zone, of other arguments, or of a zone that moved since is refused clearly', async () => {
    const p = await preview('plan_zone', { records: [{ record_type: 'A', name: 'www', value: '192.0.2.3' }] });
    const wrongZone = await t.h.call('check_propagation', { zone: 'other.example', preview: p.id });
    expect(wrongZone.isError).toBe(true);
    expect(wrongZone.text).toMatch(new RegExp(`preview ${p.id} is of ${ZONE.replace('.', '\\.')}, not other\\.example`));
    const otherArgs = await t.h.call('apply_zone', { zone: ZONE, records: [{ record_type: 'A', name: 'www', value: '192.0.2.4' }], preview: p.id, dry_run: true });
    expect(otherArgs.isError).toBe(true);
    expect(otherArgs.text).toMatch(/made for other arguments/);
    const moved = await callAgreeing(t.h, 'create_record', { zone: ZONE, name: 'extra', record_type: 'A', value: '192.0.2.99' });
    expect(moved.isError, moved.text).toBeFalsy();
    const stale = await t.h.call('apply_zone', { zone: ZONE, records: [{ record_type: 'A', name: 'www', value: '192.0.2.3' }], preview: p.id });
    expect(stale.isError, stale.text).toBe(true);
    expect((stale.raw as { _meta?: Record<string, { code?: string }> })._meta?.['vpsorg-dns-mcp/error']?.code).toBe('plan_changed');
    expect(stale.text).toMatch(/no longer the one preview/);
    expect((await dig(sandboxNs(), `www.${ZONE}`, 'A')).rrs).not.toContain(`www.${ZONE}. 3600 IN A 192.0.2.3`);
    const noDry = await t.h.call('apply_zone', { zone: ZONE, records: desired, preview: true });
    expect(noDry.isError).toBe(true);
    expect(noDry.text).toMatch(/add dry_run: true/);
  });

  it('audit_zone {live: true, preview} audits the planned zone: a CNAME the plan adds to a name that does not exist', async () => {
    const args = { zone: 'other.example', records: [{ record_type: 'CNAME', name: 'shop', value: 'shop.gone-provider.example' }] };
    const p = await preview('plan_zone', args);
    const codes = async (extra: Record<string, unknown>) => {
      const r = await t.h.call('audit_zone', { zone: 'other.example', live: true, ...extra });
      expect(r.isError, r.text).toBeFalsy();
      return ((r.structured?.['findings'] ?? []) as Array<{ code: string; examples: Array<{ name: string }> }>).filter((g) => g.examples.some((e) => e.name.startsWith('shop'))).map((g) => g.code);
    };
    expect(await codes({})).toEqual([]);
    expect(await codes({ preview: p.id })).toEqual(expect.arrayContaining([expect.stringMatching(/^(dangling_target|target_domain_unregistered)$/)]));
    const notLive = await t.h.call('audit_zone', { zone: 'other.example', preview: p.id });
    expect(notLive.isError).toBe(true);
    expect(notLive.text).toMatch(/add live: true/);
  });

  it(`a preview ends after ${PREVIEW_TTL_MS / 60_000} minutes, and at most 5 are served (the oldest ends first)`, async () => {
    const first = await preview('plan_zone', {});
    const others: PreviewResult[] = [];
    for (const n of [1, 2, 3, 4, 5]) {
      const zone = `more${n}.example`;
      t.sb.emu.store.addZone(zone, seed);
      clock.now += 1000;
      others.push(await preview('plan_zone', { zone }));
    }
    const evicted = await t.h.call('check_propagation', { zone: ZONE, preview: first.id });
    expect(evicted.text).toMatch(/was ended to make room \(at most 5 previews at once\)/);
    expect((await dig(first.server, `www.${ZONE}`, 'A')).status).toBe('REFUSED');
    expect((await dig(first.server, 'www.more5.example', 'A')).rrs).toEqual(['www.more5.example. 3600 IN A 192.0.2.2']);
    clock.now += PREVIEW_TTL_MS;
    const expired = await t.h.call('check_delegation', { zone: 'more5.example', preview: others[4]?.id });
    expect(expired.isError).toBe(true);
    expect(expired.text).toMatch(/expired \(previews last 10 minutes\)/);
    expect((await dig(first.server, 'www.more5.example', 'A')).status).toBe('REFUSED');
  });
});

describe('previews off', () => {
  it('preview: true without VPSORG_PREVIEW_DNS says how to turn them on', async () => {
    const { VPSORG_PREVIEW_DNS: _, ...env } = t.sb.env;
    const h = await startHarness({ emu: t.sb.emu, env: env as Record<string, string> });
    try {
      const r = await h.call('plan_zone', { zone: ZONE, records: desired, preview: true });
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/VPSORG_PREVIEW_DNS=127\.0\.0\.1:0/);
    } finally {
      await h.close();
    }
  });
});
