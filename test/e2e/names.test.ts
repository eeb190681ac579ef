/**
 * Issue 12.2: names as agents write them, through a real client against the emulator. A full
 * name inside the zone is read relative (with a note), a name outside is refused with a question,
 * and every diff shows the full owner name. The same rules on every path that takes a name.
 */
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { emulatedServer } from '../helpers/emulated.js';
import { callAgreeing } from '../helpers/harness.js';
import { DEFAULT_TEST_TOKEN } from '../../src/emulator/index.js';

const t = emulatedServer((store) => {
  store.addZone('example.com', [
    { record_type: 'A', name: '@', value: '192.0.2.1' },
    { record_type: 'A', name: 'www', value: '192.0.2.10' },
  ]);
  store.addZone('other.test', []);
});

const writes = () => t.emu.requests.filter((r) => r.method !== 'GET');
const names = () => (t.emu.store.findZone('example.com')?.records ?? []).map((r) => r.name).sort();
const QUESTION = '"www.example.org" is not inside example.com. Did you mean zone example.org, name www? For a record literally at www.example.org.example.com, pass "www.example.org.example.com".';

describe('record tools', () => {
  it('www.example.org in example.com is refused with the question, and nothing is sent', async () => {
    const r = await t.h.call('create_record', { zone: 'example.com', record_type: 'A', name: 'www.example.org', value: '192.0.2.5' });
    expect(r.isError).toBe(true);
    expect(r.text).toContain(QUESTION);
    expect(writes()).toEqual([]);
    const eu = await t.h.call('create_record', { zone: 'example.com', record_type: 'A', name: 'mail.example.eu', value: '192.0.2.5' });
    expect(eu.text).toMatch(/"mail.example.eu" is not inside example.com. Did you mean zone example.eu, name mail\?/);
    const outside = await t.h.call('create_record', { zone: 'example.com', record_type: 'A', name: 'www.example.org.', value: '192.0.2.5' });
    expect(outside.text).toMatch(/"www.example.org." is not inside example.com/);
    const account = await t.h.call('create_record', { zone: 'example.com', record_type: 'A', name: 'shop.other.test', value: '192.0.2.5' });
    expect(account.text).toMatch(/Did you mean zone other.test, name shop\?/);
    expect(writes()).toEqual([]);
  });

  it('everyday labels that are also top-level domains are relative names (issue 22.7)', async () => {
    for (const name of ['api.dev', 'www.blog', 'staging.app', 'docs.io', '*.dev']) {
      // Five additions in one window: over the zone's budget from the fourth, confirmed as a user would.
      const r = await callAgreeing(t.h, 'create_record', { zone: 'example.com', record_type: 'A', name, value: '192.0.2.5' });
      expect(r.isError, r.text).toBeFalsy();
    }
    expect(names()).toEqual(expect.arrayContaining(['api.dev', 'www.blog', 'staging.app', 'docs.io', '*.dev']));
  });

  it('a full name inside the zone is read relative, with a note, and the diff shows the full name', async () => {
    const r = await t.h.call('create_record', { zone: 'example.com', record_type: 'A', name: 'API.Example.com.', value: '192.0.2.5' });
    expect(r.isError, r.text).toBeFalsy();
    expect(r.structured?.['notes']).toContain('name "API.Example.com." read as api (api.example.com.), relative to the zone example.com');
    expect(r.text).toContain('+ api 3600 IN A 192.0.2.5 ; api.example.com.');
    expect(names()).toContain('api');
  });

  it('the literal form the question offers creates exactly that owner, shown in full', async () => {
    const r = await t.h.call('create_record', { zone: 'example.com', record_type: 'TXT', name: 'www.example.org.example.com', value: 'literal', dry_run: true });
    expect(r.isError, r.text).toBeFalsy();
    expect(r.text).toContain('; www.example.org.example.com.');
    const mailEu = await t.h.call('create_record', { zone: 'example.com', record_type: 'A', name: 'mail.eu.example.com', value: '192.0.2.6' });
    expect(mailEu.isError, mailEu.text).toBeFalsy();
    expect(names()).toContain('mail.eu');
  });

  it('lookups take the same names: get, list, update_ttl and delete by full name; not-found shows the full name', async () => {
    const got = await t.h.call('get_record', { zone: 'example.com', name: 'WWW.example.com.', record_type: 'A' });
    expect(got.isError, got.text).toBeFalsy();
    const apex = await t.h.call('list_records', { zone: 'example.com', name: 'example.com' });
    expect((apex.structured?.['records'] as unknown[]).length).toBe(1);
    const ttl = await t.h.call('update_ttl', { zone: 'example.com', name: 'www.example.com', record_type: 'A', ttl: 300, dry_run: true });
    expect(ttl.text).toContain('~ www 3600 IN A 192.0.2.10  (TTL only) ; www.example.com.');
    const q = await t.h.call('delete_record', { zone: 'example.com', name: 'www.example.org', record_type: 'A' });
    expect(q.text).toContain(QUESTION);
    const none = await t.h.call('get_record', { zone: 'example.com', name: 'nope', record_type: 'A' });
    expect(none.text).toContain('No A record at nope (nope.example.com.) in example.com');
    expect(writes()).toEqual([]);
  });

  it('a rename by uuid reads the new name the same way', async () => {
    const uuid = t.emu.store.findZone('example.com')?.records?.find((r) => r.name === 'www')?.uuid as string;
    const bad = await t.h.call('patch_record', { record: uuid, name: 'www.example.org' });
    expect(bad.text).toContain(QUESTION);
    const args = { record: uuid, name: 'web.example.com' };
    const first = await t.h.call('patch_record', args);
    expect(first.isError, first.text).toBeFalsy();
    expect(first.text).toContain('name www -> web ; web.example.com.');
    // A rename goes through the confirmation gate (issue 13); confirmed, it lands at the relative name.
    const token = first.structured?.['confirm_token'] as string | undefined;
    const r = token ? await t.h.call('patch_record', { ...args, confirm_token: token }) : first;
    expect(r.isError, r.text).toBeFalsy();
    expect(names()).toContain('web');
  });
});

describe('plans, propagation and the CLI', () => {
  it('plan_zone/apply_zone records: refused names are named by field; full names read relative with a note', async () => {
    const bad = await t.h.call('apply_zone', { zone: 'example.com', records: [{ name: 'ok', record_type: 'A', value: '192.0.2.7' }, { name: 'www.example.org', record_type: 'A', value: '192.0.2.8' }] });
    expect(bad.isError).toBe(true);
    expect(bad.text).toContain(QUESTION);
    expect((bad.raw as { _meta?: Record<string, { field?: string }> })._meta?.['vpsorg-dns-mcp/error']?.field).toBe('records.1.name');
    const plan = await t.h.call('plan_zone', { zone: 'example.com', records: [{ name: 'mx.example.com.', record_type: 'A', value: '192.0.2.7' }] });
    expect(plan.isError, plan.text).toBeFalsy();
    expect(plan.structured?.['notes']).toEqual(['name "mx.example.com." read as mx (mx.example.com.), relative to the zone example.com']);
    expect(plan.text).toContain('+ mx 3600 IN A 192.0.2.7 ; mx.example.com.');
    expect(writes()).toEqual([]);
  });

  it('import_zone_file returns names apply_zone takes back as they are (one that reads like zone other.test in full)', async () => {
    const zoneFile = '$ORIGIN example.com.\n$TTL 3600\nmail.other.test IN A 192.0.2.9\nwww IN A 192.0.2.10\n';
    const imp = await t.h.call('import_zone_file', { zone: 'example.com', zone_file: zoneFile });
    expect(imp.isError, imp.text).toBeFalsy();
    const records = imp.structured?.['records'] as Array<{ name: string }>;
    expect(records.map((r) => r.name).sort()).toEqual(['mail.other.test.example.com.', 'www']);
    const applied = await t.h.call('apply_zone', { zone: 'example.com', records });
    expect(applied.isError, applied.text).toBeFalsy();
    expect(names()).toContain('mail.other.test');
  });

  it('check_propagation refuses www.google.com in example.com with the question, before any DNS query', async () => {
    const r = await t.h.call('check_propagation', { zone: 'example.com', name: 'www.google.com', record_type: 'A', nameservers: '127.0.0.1:9' });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('"www.google.com" is not inside example.com. Did you mean zone google.com, name www?');
  });

  it('the CLI applies the same rules', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile(process.execPath, ['dist/index.js', 'call', ...args], { env: { PATH: process.env['PATH'] ?? '', VPSORG_API_URL: t.emu.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN } }, (err, stdout, stderr) =>
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
        ),
      );
    const q = await run(['create_record', '--zone', 'example.com', '--record-type', 'A', '--name', 'www.example.org', '--value', '192.0.2.5']);
    expect(q.code).not.toBe(0);
    expect(q.stderr).toContain(QUESTION);
    const ok = await run(['create_record', '--zone', 'example.com', '--record-type', 'A', '--name', 'cli.example.com', '--value', '192.0.2.5', '--dry-run']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).changes[0].after.name).toBe('cli');
    expect(writes()).toEqual([]);
  });
});
