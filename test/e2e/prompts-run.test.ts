import { afterAll, beforeAll, expect, it } from 'vitest';
import { callAgreeing, startHarness, type Harness } from '../helpers/harness.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startSandbox } from '../../src/sandbox/index.js';

// Follows each prompt's instructions against the emulator the way a model would: the named calls,
// in order, placeholders filled from what the reads returned. check_propagation and
// check_delegation are left out: they query real nameservers (covered by their own tests).
let emu: Emulator;
let h: Harness;

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo' });
  h = await startHarness({ emu });
});
afterAll(async () => {
  await h.close();
  await emu.close();
});

type Call = { tool: string; args: Record<string, unknown> };

function callsIn(text: string): Call[] {
  return [...text.matchAll(/`([a-z_]+)` (\{(?:[^{}"]|"(?:[^"\\]|\\.)*")*\})/g)].map((m) => ({ tool: m[1] as string, args: JSON.parse(m[2] as string) as Record<string, unknown> }));
}

async function prompt(name: string, args: Record<string, string>): Promise<Call[]> {
  const r = await h.client.getPrompt({ name, arguments: args });
  return callsIn((r.messages[0]?.content as { text: string }).text).filter((c) => c.tool !== 'check_propagation' && c.tool !== 'check_delegation');
}

const records = (domain: string) => emu.store.findZone(domain)?.records ?? [];
const writes = () => emu.requests.filter((r) => r.method !== 'GET');

it('verify_domain_ownership: read, dry run (nothing written), then the write', async () => {
  emu.store.addZone('verify.test', [{ record_type: 'TXT', name: '@', value: 'v=spf1 -all' }]);
  const calls = await prompt('verify_domain_ownership', { domain: 'verify.test', name: '@', token: 'google-site-verification=abc123' });
  expect(calls.map((c) => `${c.tool}${c.args['dry_run'] ? ' (dry run)' : ''}`)).toEqual(['list_records', 'create_record (dry run)', 'create_record']);
  emu.requests.length = 0;
  for (const c of calls.slice(0, 2)) expect((await h.call(c.tool, c.args)).isError).toBeFalsy();
  expect(writes()).toEqual([]);
  expect((await h.call(calls[2]?.tool ?? '', calls[2]?.args)).isError).toBeFalsy();
  expect(records('verify.test').map((r) => r.value).sort()).toEqual(['google-site-verification=abc123', 'v=spf1 -all']);
});

it('point_domain_to_server: the apex A is replaced, the www CNAME to the apex is left alone', async () => {
  const calls = await prompt('point_domain_to_server', { domain: 'example.com', ipv4: '203.0.113.10' });
  const zone = await h.call(calls[0]?.tool ?? '', calls[0]?.args);
  const apexA = (zone.structured?.['records'] as Array<{ name: string; record_type: string; value: string }>).filter((r) => r.name === '@' && r.record_type === 'A');
  expect(apexA).toHaveLength(1);
  // One A record at @: the prompt's update_record call, with <name> filled in.
  const update = calls.find((c) => c.tool === 'update_record');
  const args = { ...update?.args, name: '@' };
  emu.requests.length = 0;
  const dry = await h.call('update_record', args);
  expect(dry.isError).toBeFalsy();
  expect(writes()).toEqual([]);
  expect(dry.text).toContain('203.0.113.10');
  expect((await h.call('update_record', { ...args, dry_run: false })).isError).toBeFalsy();
  expect(records('example.com').filter((r) => r.name === '@' && r.record_type === 'A').map((r) => r.value)).toEqual(['203.0.113.10']);
  expect(records('example.com').find((r) => r.name === 'www')?.record_type).toBe('CNAME');
});

it('setup_email (custom): the named creates give a zone the audit finds no mail problem in', async () => {
  emu.store.addZone('mail.test', [{ record_type: 'A', name: '@', value: '93.184.216.34' }]);
  const calls = await prompt('setup_email', { domain: 'mail.test', provider: 'custom', mx_hosts: '10 mx1.example.net', dmarc_policy: 'reject', dkim_selector: 's1', dkim_value: 'v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC' });
  const creates = calls.filter((c) => c.tool === 'create_record' && !Object.values(c.args).some((v) => typeof v === 'string' && v.startsWith('<')));
  expect(creates.map((c) => `${c.args['name']} ${c.args['record_type']}`)).toEqual(['@ MX', '@ TXT', '_dmarc TXT', 's1._domainkey TXT']);
  emu.requests.length = 0;
  for (const c of creates) expect((await h.call('create_record', c.args)).isError).toBeFalsy();
  expect(writes()).toEqual([]);
  for (const c of creates) expect((await h.call('create_record', { ...c.args, dry_run: false })).isError).toBeFalsy();
  const audit = calls.find((c) => c.tool === 'audit_zone');
  const r = await h.call('audit_zone', audit?.args);
  expect(r.structured?.['counts']).toEqual({ error: 0, warning: 0, info: 1 });
  expect((r.structured?.['findings'] as Array<{ code: string }>).map((f) => f.code)).toEqual(['caa_missing']);
});

it('migrate_zone_from_file: import plans, apply_zone applies the returned records', async () => {
  emu.store.addZone('move.test');
  const zoneFile = ['$ORIGIN move.test.', '$TTL 3600', '@ IN SOA ns1.old.example. h.move.test. ( 1 7200 3600 1209600 300 )', '@ IN A 93.184.216.34', 'www IN CNAME move.test.', '@ IN MX 10 mail', 'mail IN A 93.184.216.35', '@ IN TXT "v=spf1 mx -all"', ''].join('\n');
  const calls = await prompt('migrate_zone_from_file', { domain: 'move.test', zone_file: zoneFile });
  expect(calls.map((c) => c.tool)).toEqual(['import_zone_file', 'create_zone', 'apply_zone']);
  emu.requests.length = 0;
  const plan = await h.call('import_zone_file', { ...calls[0]?.args, zone_file: zoneFile });
  expect(plan.isError).toBeFalsy();
  expect(plan.structured?.['counts']).toMatchObject({ creates: 5 });
  const apply = { ...calls[2]?.args, records: plan.structured?.['records'] };
  expect((await h.call('apply_zone', apply)).structured?.['applied']).toBe(false);
  expect(writes()).toEqual([]);
  // Five creates are over a new zone's budget: held once, applied when the user agrees.
  expect((await callAgreeing(h, 'apply_zone', { ...apply, dry_run: false })).structured?.['applied']).toBe(true);
  expect(records('move.test')).toHaveLength(5);
  // The file had no DMARC record: the audit says so (and nothing else is wrong with the moved zone).
  const audit = await h.call('audit_zone', { zone: 'move.test' });
  expect((audit.structured?.['findings'] as Array<{ code: string }>).map((f) => f.code)).toEqual(['dmarc_missing', 'caa_missing']);
});

it('audit_zone: the prompt\'s call (live) reports the demo zone\'s real problems, looked up under the sandbox\'s root', async () => {
  const calls = await prompt('audit_zone', { domain: 'example.com' });
  expect(calls.map((c) => c.tool)).toEqual(['audit_zone', 'audit_zone']);
  expect(calls[0]?.args).toEqual({ zone: 'example.com', live: true });
  const sb = await startSandbox({ publishDelayMs: [0, 0] });
  const hs = await startHarness({ emu: sb.emu, env: sb.env });
  const r = await hs.call('audit_zone', calls[0]?.args).finally(() => hs.close().then(() => sb.close()));
  expect(r.text).toMatch(/^Live: \d+ lookups/m);
  // Identical findings come grouped, with a count.
  const codes = (r.structured?.['findings'] as Array<{ code: string; severity: string; count: number }>).filter((f) => f.severity === 'error').flatMap((f) => Array<string>(f.count).fill(f.code));
  // The sandbox's internet has no _spf.google.com: the demo's SPF include finds no record there (permerror).
  expect(codes.sort()).toEqual(['mx_target_no_address', 'mx_target_no_address', 'spf_include_missing', 'srv_target_no_address']);
  expect(r.text).toMatch(/^Audit of example\.com \(12 records\): 4 errors, 0 warnings/);
  expect(r.text).toContain('<<<DATA');
});
