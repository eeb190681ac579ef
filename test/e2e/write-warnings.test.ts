/**
 * Issue 12.4: a write that makes the zone worse says so before and after: the audit runs on the
 * zone as it would be after the change, and only the findings the change adds come back, grouped.
 */
import { expect, it } from 'vitest';
import { emulatedServer } from '../helpers/emulated.js';

const t = emulatedServer((store) => {
  store.addZone('example.com', [
    { record_type: 'A', name: '@', value: '192.0.2.1' },
    { record_type: 'A', name: 'mail', value: '198.51.100.25' },
    { record_type: 'MX', name: '@', value: 'mail.example.com', priority: 10 },
    { record_type: 'TXT', name: '@', value: 'v=spf1 mx -all' },
    { record_type: 'TXT', name: '_dmarc', value: 'v=DMARC1; p=reject' },
  ]);
});

type Warning = { severity: string; code: string; count: number; names: string[]; message: string; fix: string };
const warnings = (s: Record<string, unknown> | undefined) => (s?.['warnings'] ?? []) as Warning[];

it('a second SPF record: warned in the dry run and in the result, with its fix; findings the zone had are not repeated', async () => {
  const args = { zone: 'example.com', record_type: 'TXT', name: '@', value: 'v=spf1 include:_spf.example.net -all' };
  const dry = await t.h.call('create_record', { ...args, dry_run: true });
  expect(warnings(dry.structured).map((w) => w.code)).toEqual(['spf_duplicate']);
  expect(warnings(dry.structured)[0]?.fix).toBeTruthy();
  expect(dry.text).toMatch(/Warnings: this change would add these audit findings[\s\S]*spf_duplicate[\s\S]*fix: /);
  // 192.0.2.1 is a documentation address: the zone already had that finding, so it is not blamed on this change.
  expect(dry.text).not.toContain('documentation_address');
  const done = await t.h.call('create_record', args);
  expect(done.structured?.['applied']).toBe(true);
  expect(warnings(done.structured).map((w) => w.code)).toEqual(['spf_duplicate']);
  // A harmless change warns of nothing.
  const fine = await t.h.call('create_record', { zone: 'example.com', record_type: 'A', name: 'www', value: '198.51.100.80', dry_run: true });
  expect(warnings(fine.structured)).toEqual([]);
  expect(fine.text).not.toContain('Warnings:');
});

it('renaming the MX target away: the MX target without an address is warned in the preview', async () => {
  const uuid = t.emu.store.findZone('example.com')?.records?.find((r) => r.name === 'mail')?.uuid as string;
  const r = await t.h.call('patch_record', { record: uuid, name: 'smtp', dry_run: true });
  expect(r.isError, r.text).toBeFalsy();
  expect(warnings(r.structured).some((w) => w.severity === 'error' && w.names.includes('@'))).toBe(true);
});

it('plan_zone and apply_zone: new findings grouped by kind, with a count (bounded output)', async () => {
  const records = Array.from({ length: 40 }, (_, i) => ({ name: `alias${i}`, record_type: 'CNAME', value: `gone${i}.example.com` }));
  const plan = await t.h.call('plan_zone', { zone: 'example.com', records });
  const dangling = warnings(plan.structured).find((w) => w.code === 'dangling_cname');
  expect(dangling?.count).toBe(40);
  expect(dangling?.names.length).toBeLessThanOrEqual(5);
  expect(plan.text.match(/dangling_cname/g)?.length).toBe(1);
  const dry = await t.h.call('apply_zone', { zone: 'example.com', records: records.slice(0, 2), dry_run: true });
  expect(warnings(dry.structured).find((w) => w.code === 'dangling_cname')?.count).toBe(2);
  const imp = await t.h.call('import_zone_file', { zone: 'example.com', zone_file: '$ORIGIN example.com.\n@ 3600 IN TXT "v=spf1 a -all"\n@ 3600 IN TXT "v=spf1 mx -all"\n' });
  expect(warnings(imp.structured).map((w) => w.code)).toContain('spf_duplicate');
});

it('delete_record of the A record an MX, SRV or CNAME target needs: warned in the preview, the dry run and the result', async () => {
  t.emu.store.addZone('example.net', [
    { record_type: 'A', name: 'mail', value: '198.51.100.25' },
    { record_type: 'MX', name: '@', value: 'mail.example.net', priority: 10 },
    { record_type: 'A', name: 'sip', value: '198.51.100.26' },
    { record_type: 'SRV', name: '_sip._tcp', value: '5 5060 sip.example.net', priority: 10 },
    { record_type: 'A', name: 'app', value: '198.51.100.27' },
    { record_type: 'CNAME', name: 'www', value: 'app.example.net' },
    { record_type: 'A', name: 'spare', value: '198.51.100.28' },
  ]);
  for (const [name, code, at] of [['mail', 'mx_target_no_address', '@'], ['sip', 'srv_target_no_address', '_sip._tcp'], ['app', 'dangling_cname', 'www']] as const) {
    const args = { zone: 'example.net', name, record_type: 'A' };
    const dry = await t.h.call('delete_record', { ...args, dry_run: true });
    expect(dry.isError, dry.text).toBeFalsy();
    expect(warnings(dry.structured).map((w) => [w.code, w.names])).toEqual([[code, [at]]]);
    expect(dry.text).toMatch(new RegExp(`Warnings: this change would add these audit findings[\\s\\S]*${code}[\\s\\S]*fix: `));
    const preview = await t.h.call('delete_record', args);
    expect(warnings(preview.structured).map((w) => w.code)).toEqual([code]);
    const done = await t.h.call('delete_record', { ...args, confirm_token: preview.structured?.['confirm_token'] });
    expect(done.structured?.['applied'], done.text).toBe(true);
    expect(warnings(done.structured).map((w) => w.code)).toEqual([code]);
    expect(done.text).toContain(code);
  }
  // A record nothing points at: no warnings.
  const fine = await t.h.call('delete_record', { zone: 'example.net', name: 'spare', record_type: 'A', dry_run: true });
  expect(warnings(fine.structured)).toEqual([]);
  expect(fine.text).not.toContain('Warnings:');
  // delete_zone answers in the same shape (a deleted zone adds no findings of its own).
  const zone = await t.h.call('delete_zone', { zone: 'example.net', dry_run: true });
  expect(zone.structured?.['warnings']).toEqual([]);
});
