import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emulatedServer } from '../helpers/emulated.js';
import { callAgreeing, startHarness } from '../helpers/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'vpsorg-plan-'));

const BASE = [
  { record_type: 'A', name: '@', value: '192.0.2.1' },
  { record_type: 'A', name: 'www', value: '192.0.2.1' },
  { record_type: 'MX', name: '@', value: 'mail.example.com', priority: 10 },
  { record_type: 'TXT', name: '@', value: 'v=spf1 -all' },
];
const t = emulatedServer((store) => {
  store.addZone('example.com', BASE);
  t.emu.faults.clear();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const writes = () => t.emu.requests.filter((r) => r.method !== 'GET');
const live = () => (t.emu.store.findZone('example.com')?.records ?? []).map((r) => `${r.name} ${r.record_type} ${r.priority ?? ''} ${r.value} ${r.ttl}`).sort();

const desired = [
  { name: '@', record_type: 'A', value: '192.0.2.1' },
  { name: 'www', record_type: 'A', value: '192.0.2.2', ttl: 300 },
  { name: '@', record_type: 'MX', value: 'mail.example.com', priority: 10 },
  { name: 'api', record_type: 'CNAME', value: 'www.example.com' },
];

describe('plan_zone', () => {
  it('upsert makes the given record sets so, leaves the others, and writes nothing', async () => {
    const r = await t.h.call('plan_zone', { zone: 'example.com', records: desired, mode: 'upsert' });
    expect(r.isError).toBeFalsy();
    // the www A set becomes 192.0.2.2 (its old value is replaced, not joined); TXT is not given, so it stays
    expect(r.structured?.['counts']).toEqual({ creates: 1, updates: 1, deletes: 0, unchanged: 3 });
    expect(r.text).toContain('value 192.0.2.1 -> 192.0.2.2');
    expect(r.text).toContain('+ api 3600 IN CNAME www.example.com.');
    expect(writes()).toEqual([]);
  });

  it('sync also deletes what is not listed, and flags it for confirmation', async () => {
    const r = await t.h.call('plan_zone', { zone: 'example.com', records: desired, mode: 'sync' });
    expect((r.structured?.['counts'] as { deletes: number }).deletes).toBe(1);
    const risk = r.structured?.['risk'] as { needs_confirmation: boolean; codes: string[]; reasons: string[] };
    expect(risk.needs_confirmation).toBe(true);
    expect(risk.reasons.join(' ')).toMatch(/delete/);
    // The codes a program (the DNS-as-code CLI's --confirm) checks against what it was told to accept.
    expect(risk.codes).toContain('delete');
    expect(risk.codes).toHaveLength(risk.reasons.length);
  });

  it('reports every invalid desired record at once', async () => {
    const r = await t.h.call('plan_zone', {
      zone: 'example.com',
      records: [
        { name: 'a', record_type: 'A', value: 'nope' },
        { name: 'm', record_type: 'MX', value: 'mx.example.com' },
        { name: '@', record_type: 'CNAME', value: 'x.example.net' },
      ],
    });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('records[0].value');
    expect(r.text).toContain('records[1].priority');
    expect(r.text).toContain('records[2]');
  });
});

describe('apply_zone', () => {
  it('applies an upsert plan, and a second run is empty', async () => {
    const r = await t.h.call('apply_zone', { zone: 'example.com', records: desired });
    expect(r.isError, r.text).toBeFalsy();
    expect(r.structured?.['applied']).toBe(true);
    expect(live()).toContain('www A  192.0.2.2 300');
    expect(live()).toContain('api CNAME  www.example.com 3600');
    const again = await t.h.call('plan_zone', { zone: 'example.com', records: desired });
    expect((again.structured?.['changes'] as unknown[]).length).toBe(0);
  });

  it('upsert "set the apex A to X" replaces the whole set; removing a value goes through the gate like sync (issue 12.3)', async () => {
    t.emu.store.reset();
    t.emu.store.addZone('example.com', [...BASE, { record_type: 'A', name: '@', value: '192.0.2.9' }]);
    const args = { zone: 'example.com', records: [{ name: '@', record_type: 'A', value: '203.0.113.5' }] };
    const first = await t.h.call('apply_zone', args);
    expect(first.isError, first.text).toBeFalsy();
    expect(first.structured?.['counts']).toMatchObject({ creates: 0, updates: 1, deletes: 1 });
    expect(first.structured?.['confirmation']).toBe('required');
    expect(writes()).toEqual([]);
    const second = await t.h.call('apply_zone', { ...args, confirm_token: first.structured?.['confirm_token'] as string });
    expect(second.isError, second.text).toBeFalsy();
    expect(live()).toEqual(['@ A  203.0.113.5 3600', '@ MX 10 mail.example.com 3600', '@ TXT  v=spf1 -all 3600', 'www A  192.0.2.1 3600']);
  });

  it('dry run sends no write', async () => {
    const r = await t.h.call('apply_zone', { zone: 'example.com', records: desired, dry_run: true });
    expect(r.structured?.['applied']).toBe(false);
    expect(writes()).toEqual([]);
  });

  it('a plan that deletes goes through the gate; confirmed, a CNAME replacing an A record is applied delete-first', async () => {
    const args = { zone: 'example.com', mode: 'sync', records: [...BASE.filter((x) => x.name !== 'www'), { name: 'www', record_type: 'CNAME', value: 'example.com' }] };
    const first = await t.h.call('apply_zone', args);
    expect(first.isError, first.text).toBeFalsy();
    expect(first.structured?.['confirmation']).toBe('required');
    expect(first.structured?.['snapshot']).toContain('www');
    expect(writes()).toEqual([]);
    const token = first.structured?.['confirm_token'] as string;
    const second = await t.h.call('apply_zone', { ...args, confirm_token: token });
    expect(second.isError, second.text).toBeFalsy();
    expect(second.structured?.['applied']).toBe(true);
    // Issue 12.9: the result of a confirmed apply says what was applied, not that it needs confirming.
    expect(second.text).toMatch(/^Applied to example\.com \(sync\): 1 created, 0 updated, 1 deleted/);
    expect(second.text).not.toMatch(/Needs confirmation|to delete/);
    const methods = writes().map((w) => w.method);
    expect(methods.indexOf('DELETE')).toBeGreaterThanOrEqual(0);
    expect(methods.indexOf('DELETE')).toBeLessThan(methods.indexOf('POST'));
    expect(live()).toContain('www CNAME  example.com 3600');
    expect(live().filter((l) => l.startsWith('www A'))).toEqual([]);
  });

  it('confirmed through the form (elicitation), the result also says what was applied', async () => {
    const form = await startHarness({ emu: t.emu, elicit: async () => ({ action: 'accept', content: { confirm: true } }) });
    try {
      const r = await form.call('apply_zone', { zone: 'example.com', mode: 'sync', records: BASE.filter((x) => x.record_type !== 'TXT') });
      expect(r.structured?.['confirmation']).toBe('confirmed_by_user');
      expect(r.text).toMatch(/^Applied to example\.com \(sync\): 0 created, 0 updated, 1 deleted/);
      expect(r.text).not.toContain('Needs confirmation');
    } finally {
      await form.close();
    }
  });

  it('a confirm token is refused once the zone changed after the preview; a token on a plan that needs none is refused', async () => {
    const args = { zone: 'example.com', mode: 'sync', records: BASE.filter((x) => x.record_type !== 'TXT') };
    const first = await t.h.call('apply_zone', args);
    const token = first.structured?.['confirm_token'] as string;
    t.emu.store.addZone('other.example', []);
    await t.h.call('create_record', { zone: 'example.com', record_type: 'A', name: 'late', value: '192.0.2.99' });
    const before = writes().length;
    const second = await t.h.call('apply_zone', { ...args, confirm_token: token });
    expect(second.isError).toBe(true);
    expect(second.text).toMatch(/changed/i);
    expect(writes().length).toBe(before);
    const upsert = await t.h.call('apply_zone', { zone: 'example.com', records: [{ name: 'n', record_type: 'A', value: '192.0.2.7' }], confirm_token: token });
    expect(upsert.isError).toBe(true);
    expect(upsert.text).toMatch(/confirm_token/);
  });

  it('an NS record goes before its in-zone glue when deleted, and after it when created', async () => {
    t.emu.store.reset();
    const z = t.emu.store.addZone('example.com', [
      { record_type: 'NS', name: '@', value: '5.example.com' },
      { record_type: 'AAAA', name: '5', value: '2001:db8::53' },
    ]);
    const typeOf = new Map((z.records ?? []).map((r) => [r.uuid, r.record_type]));
    const args = { zone: 'example.com', mode: 'sync', records: [] };
    const first = await t.h.call('apply_zone', args);
    const second = await t.h.call('apply_zone', { ...args, confirm_token: first.structured?.['confirm_token'] as string });
    expect(second.isError, second.text).toBeFalsy();
    const deleted = writes().filter((w) => w.method === 'DELETE').map((w) => typeOf.get(w.path.split('/').at(-2) ?? ''));
    expect(deleted).toEqual(['NS', 'AAAA']);
    t.emu.requests.length = 0;
    const back = { zone: 'example.com', mode: 'sync', records: [{ name: '@', record_type: 'NS', value: 'ns1.example.com' }, { name: 'ns1', record_type: 'A', value: '192.0.2.53' }] };
    const b1 = await t.h.call('apply_zone', back);
    const b2 = await t.h.call('apply_zone', { ...back, confirm_token: b1.structured?.['confirm_token'] as string });
    expect(b2.isError, b2.text).toBeFalsy();
    expect(writes().filter((w) => w.method === 'POST').map((w) => (w.body as { record_type: string }).record_type)).toEqual(['A', 'NS']);
  });

  it('a failure part-way is reported exactly, and re-running converges without duplicates', async () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ name: `h${i}`, record_type: 'A', value: `198.51.100.${i + 1}` }));
    t.emu.faults.add({ kind: 'status', status: 400, method: 'POST', times: 1 });
    // 20 creates are over the zone's budget: held once, then applied.
    const r = await callAgreeing(t.h, 'apply_zone', { zone: 'example.com', records: many });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/Stopped part-way: \d+ change\(s\) applied, 1 failed/);
    const again = await callAgreeing(t.h, 'apply_zone', { zone: 'example.com', records: many });
    expect(again.isError, again.text).toBeFalsy();
    const names = (t.emu.store.findZone('example.com')?.records ?? []).filter((x) => x.name.startsWith('h')).map((x) => x.name);
    expect(names.sort()).toEqual(many.map((m) => m.name).sort());
  });
});

describe('zone files', () => {
  beforeEach(() => {
    t.emu.store.reset();
    t.emu.store.addZone('example.com', [
      ...BASE,
      { record_type: 'AAAA', name: 'www', value: '2001:0db8:0000:0000:0000:0000:0000:0001' },
      { record_type: 'SRV', name: '_sip._tcp', value: '5 5060 sip.example.com', priority: 10 },
      { record_type: 'CAA', name: '@', value: '0 iodef "mailto:security@example.com"' },
      { record_type: 'TXT', name: 'dkim._domainkey', value: `v=DKIM1; k=rsa; p=${'A'.repeat(400)}` },
      { record_type: 'CNAME', name: '*.dev', value: 'www.example.com' },
    ]);
  });

  it('export passes named-checkzone', async () => {
    const r = await t.h.call('export_zone_file', { zone: 'example.com' });
    expect(r.isError, r.text).toBeFalsy();
    const text = r.structured?.['zone_file'] as string;
    const file = join(dir, 'example.com.zone');
    writeFileSync(file, text);
    const out = execFileSync('named-checkzone', ['-k', 'fail', 'example.com', file], { encoding: 'utf8' });
    expect(out).toMatch(/OK/);
  });

  it('import of an export is an empty plan (round trip), in sync mode too', async () => {
    const exported = (await t.h.call('export_zone_file', { zone: 'example.com' })).structured?.['zone_file'] as string;
    const r = await t.h.call('import_zone_file', { zone: 'example.com', zone_file: exported, mode: 'sync' });
    expect(r.isError, r.text).toBeFalsy();
    expect(r.structured?.['changes']).toEqual([]);
    expect((r.structured?.['skipped'] as Array<{ type: string }>).map((s) => s.type)).toContain('SOA');
  });

  it('import plans changes, lists skipped types, refuses $INCLUDE, and applies via apply_zone', async () => {
    const file = ['$ORIGIN example.com.', '$TTL 600', 'new IN A 203.0.113.9', 'old IN HINFO "x" "y"', '@ IN MX 10 mail.example.com.'].join('\n');
    const r = await t.h.call('import_zone_file', { zone: 'example.com', zone_file: file });
    expect(r.isError, r.text).toBeFalsy();
    expect((r.structured?.['skipped'] as Array<{ type: string }>).map((s) => s.type)).toContain('HINFO');
    expect(r.text).toContain('+ new 600 IN A 203.0.113.9');
    const applied = await t.h.call('apply_zone', { zone: 'example.com', records: r.structured?.['records'] as unknown[] });
    expect(applied.isError, applied.text).toBeFalsy();
    expect(live()).toContain('new A  203.0.113.9 600');
    const inc = await t.h.call('import_zone_file', { zone: 'example.com', zone_file: '$INCLUDE /etc/passwd\n' });
    expect(inc.isError).toBe(true);
    expect(inc.text).toMatch(/\$INCLUDE/);
  });

  it('TXT text that begins with a quote survives import -> apply_zone -> the API -> export -> import (issue 17 point 2)', async () => {
    const file = ['$TTL 300', 'lit1 TXT "\\"quoted inside\\""', 'lit3 TXT "\\"unbalanced"'].join('\n');
    const r = await t.h.call('import_zone_file', { zone: 'example.com', zone_file: file });
    expect(r.isError, r.text).toBeFalsy();
    const applied = await t.h.call('apply_zone', { zone: 'example.com', records: r.structured?.['records'] as unknown[] });
    expect(applied.isError, applied.text).toBeFalsy();
    expect(live()).toEqual(expect.arrayContaining(['lit1 TXT  "quoted inside" 300', 'lit3 TXT  "unbalanced 300']));
    const exported = (await t.h.call('export_zone_file', { zone: 'example.com' })).structured?.['zone_file'] as string;
    const again = await t.h.call('import_zone_file', { zone: 'example.com', zone_file: exported, mode: 'sync' });
    expect(again.structured?.['changes']).toEqual([]);
  });

  it('import pages keep each (name, type) set whole, so applying page by page under upsert loses nothing (regression)', async () => {
    // The www A set (3 records, split in the file) would straddle a page of 4 records.
    const file = ['$TTL 300', 'a IN A 192.0.2.1', 'b IN A 192.0.2.2', 'www IN A 192.0.2.10', 'c IN A 192.0.2.3', 'www IN A 192.0.2.11', 'www IN A 192.0.2.12', 'd IN A 192.0.2.4'].join('\n');
    const pages: Array<Array<{ name: string; value: string }>> = [];
    let cursor: string | undefined;
    do {
      const r = await t.h.call('import_zone_file', { zone: 'example.com', zone_file: file, limit: 4, ...(cursor ? { cursor } : {}) });
      expect(r.isError, r.text).toBeFalsy();
      const records = r.structured?.['records'] as Array<{ name: string; value: string }>;
      pages.push(records);
      const applied = await callAgreeing(t.h, 'apply_zone', { zone: 'example.com', records, mode: 'upsert' });
      expect(applied.isError, applied.text).toBeFalsy();
      cursor = (r.structured?.['records_page'] as { next_cursor?: string }).next_cursor;
    } while (cursor);
    expect(pages.map((p) => p.map((r) => r.name).join(','))).toEqual(['a,b', 'www,www,www,c', 'd']);
    expect(live().filter((l) => l.startsWith('www A '))).toEqual(['www A  192.0.2.10 300', 'www A  192.0.2.11 300', 'www A  192.0.2.12 300']);
    expect(live()).toEqual(expect.arrayContaining(['a A  192.0.2.1 300', 'b A  192.0.2.2 300', 'c A  192.0.2.3 300', 'd A  192.0.2.4 300']));
    const again = await t.h.call('import_zone_file', { zone: 'example.com', zone_file: file });
    expect(again.structured?.['changes']).toEqual([]);
  });

  it('import pages that fit the result budget keep a large set whole across the boundary too', async () => {
    const file = ['$TTL 300', ...Array.from({ length: 95 }, (_, i) => `h${i} IN TXT "${'x'.repeat(40)}${i}"`), ...Array.from({ length: 40 }, (_, i) => `big IN TXT "${'y'.repeat(40)}${i}"`), ...Array.from({ length: 150 }, (_, i) => `z${i} IN TXT "${'x'.repeat(40)}${i}"`)].join('\n');
    let cursor: string | undefined;
    const bigPerPage: number[] = [];
    let parts = 0;
    do {
      const r = await t.h.call('import_zone_file', { zone: 'example.com', zone_file: file, ...(cursor ? { cursor } : {}) });
      expect(r.isError, r.text).toBeFalsy();
      const records = r.structured?.['records'] as Array<{ name: string }>;
      const big = records.filter((x) => x.name === 'big').length;
      if (big) bigPerPage.push(big);
      const applied = await callAgreeing(t.h, 'apply_zone', { zone: 'example.com', records, mode: 'upsert' });
      expect(applied.isError, applied.text).toBeFalsy();
      cursor = (r.structured?.['records_page'] as { next_cursor?: string }).next_cursor;
      parts++;
    } while (cursor);
    expect(parts).toBeGreaterThan(1);
    expect(bigPerPage).toEqual([40]);
    expect(live().filter((l) => l.startsWith('big '))).toHaveLength(40);
    expect(live()).toHaveLength(BASE.length + 5 + 285);
  });

  it('TXT given as several strings cut elsewhere than every 255 bytes is warned about, per record, in the import and the plan', async () => {
    const imp = await t.h.call('import_zone_file', { zone: 'example.com', zone_file: '$TTL 300\n_http._tcp TXT "txtvers=1" "path=/"\n' });
    expect(imp.isError, imp.text).toBeFalsy();
    expect(imp.text).toContain('line 2: TXT at _http._tcp is written as 2 strings ("txtvers=1" "path=/") cut elsewhere than every 255 bytes');
    expect((imp.structured?.['warnings'] as Array<{ code: string }>).map((w) => w.code)).toContain('txt_strings_joined');
    const plan = await t.h.call('plan_zone', { zone: 'example.com', records: [{ name: '_http._tcp', record_type: 'TXT', value: '"txtvers=1" "path=/"' }] });
    expect(plan.isError, plan.text).toBeFalsy();
    expect(plan.text).toContain('records.0: TXT at _http._tcp is written as 2 strings');
  });
});

