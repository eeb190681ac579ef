/**
 * The runbook CLI as a deploy script sees it: the built binary, its stdout (JSON only), its
 * stderr (errors, notes) and its exit codes (src/cli/report.ts; more in cli-exit.test.ts).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../src/api/types.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { BIN, cli, json } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpsorg-cli-'));
const SECRET_TOKEN = 'vps_cli_secret_0123456789abcdef';
let emu: Emulator;

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first (npm test does).`);
  emu = await startEmulator({ seed: 'demo', tokens: [{ token: SECRET_TOKEN, permissions: [...PERMISSIONS] }] });
});
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

const account = () => ({ VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: SECRET_TOKEN });

describe('exit code 0: results as JSON on stdout', () => {
  it('prints the structured result, and never the token', async () => {
    const r = await cli(['call', 'list_zones'], account());
    expect(r.code).toBe(0);
    expect((json(r)['zones'] as Array<{ domain: string }>).map((z) => z.domain)).toEqual(['example.com']);
    const me = await cli(['call', 'whoami'], account());
    expect(me.code).toBe(0);
    expect(me.stdout + me.stderr).not.toContain(SECRET_TOKEN);
  });

  it('types flags by the tool schema (--ttl is a number, --dry-run a boolean) and accepts --json', async () => {
    const r = await cli(['call', 'create_record', '--zone', 'example.com', '--name', 'cli1', '--record-type', 'A', '--value', '192.0.2.5', '--ttl', '300', '--dry-run'], account());
    expect(r.code).toBe(0);
    const out = json(r) as { dry_run: boolean; changes: Array<{ after: { ttl: unknown } }> };
    expect(out.dry_run).toBe(true);
    expect(out.changes[0]?.after.ttl).toBe(300);
    expect(emu.store.findZone('example.com')?.records?.some((x) => x.name === 'cli1')).toBe(false);
    const viaJson = await cli(['call', 'create_record', '--json', '{"zone":"example.com","record_type":"TXT","name":"cli2","value":"from json"}', '--ttl=600'], account());
    expect(viaJson.code).toBe(0);
    expect(emu.store.findZone('example.com')?.records?.find((x) => x.name === 'cli2')?.ttl).toBe(600);
  });

  it('prints the text rendering with --text', async () => {
    const r = await cli(['call', 'get_zone', '--zone', 'example.com', '--text'], account());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/@ 3600 IN MX 10 mail\.example\.com/);
  });

  it('lists the tools and their parameters', async () => {
    const r = await cli(['tools']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^create_record {2}\(Create a record; writes\)/m);
    expect(r.stdout).toContain('--record-type A|AAAA|CNAME|MX|TXT|NS|SRV|CAA (required)');
    const list = JSON.parse((await cli(['tools', '--json'])).stdout) as Array<{ name: string; parameters: Array<{ name: string; required: boolean }> }>;
    expect(list.find((t) => t.name === 'update_ttl')?.parameters.find((p) => p.name === 'ttl')?.required).toBe(true);
    const help = await cli(['call', 'update_ttl', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--ttl integer (60-604800) (required)');
    const readOnly = JSON.parse((await cli(['tools', '--json', '--read-only'])).stdout) as Array<{ name: string }>;
    expect(readOnly.map((t) => t.name)).toContain('list_zones');
    expect(readOnly.map((t) => t.name)).not.toContain('create_record');
  });
});

describe('exit code 1: the tool reported an error', () => {
  it('puts the error on stderr and nothing on stdout', async () => {
    const r = await cli(['call', 'get_zone', '--zone', 'missing.example'], account());
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/missing\.example/);
  });

});

describe('exit code 2: usage and configuration errors', () => {
  it.concurrent.for<[string[], RegExp]>([
    [['call'], /needs a tool name/],
    [['call', 'no_such_tool'], /Unknown tool "no_such_tool"/],
    [['call', 'get_zone', '--bogus', 'x'], /Unknown parameter --bogus/],
    [['call', 'get_zone', '--zone'], /--zone needs a value/],
    [['call', 'get_zone', '--json', '{nope'], /--json: not valid JSON/],
    [['call', 'get_zone', '--json', '[1]'], /--json must be a JSON object/],
    [['call', 'create_record', '--read-only', '--zone', 'example.com'], /not available with this configuration/],
    [['tools', '--nope'], /Unknown argument/],
    [['--bogus-flag'], /Unknown argument/],
  ])('%j', async ([args, message], { expect: local }) => {
    // Concurrent: these are independent processes; assert through this test's own expect.
    const r = await cli(args, account());
    local(r.code).toBe(2);
    local(r.stdout).toBe('');
    local(r.stderr).toMatch(message);
  });

  it('refuses invalid settings', async () => {
    const r = await cli(['call', 'list_zones'], { ...account(), VPSORG_TIMEOUT_MS: 'soon' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('VPSORG_TIMEOUT_MS');
  });
});

describe('exit code 3: not propagated (deploy scripts wait on it)', () => {
  it('exits 3 when a nameserver does not serve the expected data, also after --wait-seconds', async () => {
    const once = await cli(['call', 'check_propagation', '--sandbox', '--zone', 'example.com', '--name', '@', '--record-type', 'A', '--expected', '192.0.2.99']);
    expect(once.code).toBe(3);
    expect((json(once) as { propagated: boolean }).propagated).toBe(false);
    expect(once.stderr).toContain('Not propagated');
    const waited = await cli(['call', 'check_propagation', '--sandbox', '--zone', 'example.com', '--name', '@', '--record-type', 'A', '--expected', '192.0.2.99', '--wait-seconds', '1']);
    expect(waited.code).toBe(3);
    expect((json(waited) as { result: { rounds: number } }).result.rounds).toBeGreaterThanOrEqual(1);
  });

  it('exits 0 once it is propagated', async () => {
    const r = await cli(['call', 'check_propagation', '--sandbox', '--zone', 'example.com', '--name', '@', '--record-type', 'MX']);
    expect(r.code).toBe(0);
    expect((json(r) as { propagated: boolean }).propagated).toBe(true);
  });
});

describe('gated tools in two calls', () => {
  it('deletes with the token the first call printed, from a second process', async () => {
    const state = join(dir, 'gate.json');
    const target = ['--zone', 'example.com', '--name', 'www', '--record-type', 'CNAME'];
    const first = await cli(['call', 'delete_record', '--sandbox', '--state', state, ...target]);
    expect(first.code).toBe(5);
    const preview = json(first) as { applied: boolean; confirm_token: string };
    expect(preview.applied).toBe(false);
    expect(preview.confirm_token).toMatch(/\./);
    const second = await cli(['call', 'delete_record', '--sandbox', '--state', state, ...target, '--confirm-token', preview.confirm_token]);
    expect(second.code).toBe(0);
    expect((json(second) as { applied: boolean }).applied).toBe(true);
    const gone = await cli(['call', 'get_record', '--sandbox', '--state', state, ...target]);
    expect(gone.code).toBe(1);
  });

  it('refuses a token for other arguments', async () => {
    const state = join(dir, 'gate2.json');
    const first = await cli(['call', 'delete_record', '--sandbox', '--state', state, '--zone', 'example.com', '--name', 'www', '--record-type', 'CNAME']);
    const token = (json(first) as { confirm_token: string }).confirm_token;
    const other = await cli(['call', 'delete_record', '--sandbox', '--state', state, '--zone', 'example.com', '--name', '_dmarc', '--record-type', 'TXT', '--confirm-token', token]);
    expect(other.code).toBe(1);
    const still = await cli(['call', 'get_record', '--sandbox', '--state', state, '--zone', 'example.com', '--name', '_dmarc', '--record-type', 'TXT']);
    expect(still.code).toBe(0);
  });
});
