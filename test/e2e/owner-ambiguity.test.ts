/**
 * Issue 17.3: owner names that end in the zone name. A relative owner that itself ends with the
 * zone (`gen16.test` without a trailing dot in zone gen16.test is gen16.test.gen16.test., as BIND
 * reads it) cannot be stored unambiguously through the API: refused where it enters (import with
 * its line, plan/apply records, record tools, CLI). A record the live zone already holds under
 * such a name is reported as ambiguous and left alone, so that no plan loops.
 */
import { execFile } from 'node:child_process';
import { beforeEach, describe, expect, it } from 'vitest';
import { emulatedServer } from '../helpers/emulated.js';
import { startHarness } from '../helpers/harness.js';
import { DEFAULT_TEST_TOKEN } from '../../src/emulator/index.js';
import { startNameservers, type NameserverSet } from '../../src/sandbox/nameservers.js';
import { queryDns } from '../../src/dns/query.js';

const Z = 'gen16.test';
const t = emulatedServer((store) => {
  store.addZone(Z, [{ record_type: 'A', name: '@', value: '192.0.2.1' }]);
});

const writes = () => t.emu.requests.filter((r) => r.method !== 'GET');
const live = () => (t.emu.store.findZone(Z)?.records ?? []).map((r) => `${r.name} ${r.record_type} ${r.value}`).sort();
const errorField = (raw: unknown) => (raw as { _meta?: Record<string, { field?: string }> })._meta?.['vpsorg-dns-mcp/error'];

describe('refused where it enters', () => {
  it('import_zone_file refuses the owner with its line, naming the ambiguity and the likely missing dot', async () => {
    const file = ['$ORIGIN gen16.test.', '$TTL 300', 'www IN A 192.0.2.3', 'gen16.test IN A 192.0.2.2', 'gen16.test. IN AAAA 2001:db8::1'].join('\n');
    const r = await t.h.call('import_zone_file', { zone: Z, zone_file: file });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('line 4');
    expect(r.text).toContain('line 4: "gen16.test" (no trailing dot, so relative to $ORIGIN gen16.test.) is gen16.test.gen16.test.; did you mean gen16.test.? Write "gen16.test." (or "@"). Refused: its name relative to the zone ends with the zone name gen16.test');
    // The line with the trailing dot is the apex and is fine: only line 4 is refused.
    expect(r.text).not.toContain('line 5');
    expect(writes()).toEqual([]);
  });

  it('a deeper owner (www.gen16.test relative) is refused the same way', async () => {
    const r = await t.h.call('import_zone_file', { zone: Z, zone_file: '$TTL 300\nwww.gen16.test IN A 192.0.2.3\n' });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('line 2');
    expect(r.text).toContain('is www.gen16.test.gen16.test.; did you mean www.gen16.test.? Write "www.gen16.test." (or "www")');
  });

  it('plan_zone / apply_zone records and the record tools refuse it, naming the field; nothing is sent', async () => {
    for (const tool of ['plan_zone', 'apply_zone']) {
      const r = await t.h.call(tool, { zone: Z, records: [{ name: 'ok', record_type: 'A', value: '192.0.2.7' }, { name: 'gen16.test.gen16.test', record_type: 'A', value: '192.0.2.2' }] });
      expect(r.isError, tool).toBe(true);
      expect(r.text).toContain('"gen16.test.gen16.test" is gen16.test.gen16.test.; did you mean gen16.test.?');
      expect(errorField(r.raw)?.field).toBe('records.1.name');
    }
    const created = await t.h.call('create_record', { zone: Z, name: 'www.gen16.test.gen16.test.', record_type: 'A', value: '192.0.2.2' });
    expect(created.isError).toBe(true);
    expect(created.text).toContain('did you mean www.gen16.test.?');
    const uuid = t.emu.store.findZone(Z)?.records?.[0]?.uuid as string;
    const renamed = await t.h.call('patch_record', { record: uuid, name: 'gen16.test.gen16.test' });
    expect(renamed.isError).toBe(true);
    expect(renamed.text).toContain('is gen16.test.gen16.test.; did you mean gen16.test.?');
    expect(writes()).toEqual([]);
  });

  it('the agent-proofing rule stands: a name ending in .<zone> (or the zone itself) is that owner', async () => {
    const r = await t.h.call('plan_zone', { zone: Z, records: [{ name: 'www.gen16.test', record_type: 'A', value: '192.0.2.3' }, { name: 'gen16.test', record_type: 'A', value: '192.0.2.1' }] });
    expect(r.isError, r.text).toBeFalsy();
    expect(r.text).toContain('+ www 3600 IN A 192.0.2.3 ; www.gen16.test.');
    expect(r.structured?.['counts']).toMatchObject({ creates: 1, updates: 0, deletes: 0 });
  });

  it('the CLI refuses it too', async () => {
    const run = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        ['dist/index.js', 'call', 'create_record', '--zone', Z, '--record-type', 'A', '--name', 'gen16.test.gen16.test', '--value', '192.0.2.5'],
        { env: { PATH: process.env['PATH'] ?? '', VPSORG_API_URL: t.emu.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN } },
        (err, _stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stderr }),
      ),
    );
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('is gen16.test.gen16.test.; did you mean gen16.test.?');
    expect(writes()).toEqual([]);
  });
});

describe('a live record the API names ambiguously', () => {
  beforeEach(async () => {
    // Created by someone else, straight through the API: the provider stores gen16.test.gen16.test.
    // relative, as `gen16.test`, which reads back like the apex written in full.
    const zone = t.emu.store.findZone(Z)?.uuid as string;
    const res = await fetch(`${t.emu.url}/api/v1/dns-zones/${zone}/records/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEFAULT_TEST_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ record_type: 'A', name: 'gen16.test.gen16.test', value: '192.0.2.2', ttl: 3600 }),
    });
    expect(res.status).toBe(201);
    expect(live()).toEqual(['@ A 192.0.2.1', 'gen16.test A 192.0.2.2']);
    t.emu.requests.length = 0;
  });

  it('plans leave it alone and say so; apply twice: the second plan changes nothing (no loop)', async () => {
    const records = [{ name: '@', record_type: 'A', value: '192.0.2.9' }, { name: 'www', record_type: 'A', value: '192.0.2.3' }];
    const plan = await t.h.call('plan_zone', { zone: Z, records, mode: 'sync' });
    expect(plan.isError, plan.text).toBeFalsy();
    const warnings = plan.structured?.['warnings'] as Array<{ code: string; message: string }>;
    expect(warnings.find((w) => w.code === 'name_ambiguous')?.message).toMatch(/named "gen16\.test".*either gen16\.test\. written in full or gen16\.test\.gen16\.test\. stored relative.*Left as is/);
    // Only the true apex A is updated; the ambiguous record is neither matched, changed nor deleted.
    expect(plan.structured?.['counts']).toMatchObject({ creates: 1, updates: 1, deletes: 0 });
    const first = await t.h.call('apply_zone', { zone: Z, records, mode: 'sync' });
    const token = first.structured?.['confirm_token'] as string | undefined;
    const applied = token ? await t.h.call('apply_zone', { zone: Z, records, mode: 'sync', confirm_token: token }) : first;
    expect(applied.isError, applied.text).toBeFalsy();
    expect(live()).toEqual(['@ A 192.0.2.9', 'gen16.test A 192.0.2.2', 'www A 192.0.2.3']);
    for (let run = 0; run < 2; run++) {
      const again = await t.h.call('apply_zone', { zone: Z, records, mode: 'sync' });
      expect(again.isError, again.text).toBeFalsy();
      expect(again.structured?.['changes']).toEqual([]);
      expect(again.text).toContain('name_ambiguous');
    }
    expect(live()).toEqual(['@ A 192.0.2.9', 'gen16.test A 192.0.2.2', 'www A 192.0.2.3']);
  });

  it('an import of the zone with the apex value it shares is not re-planned either', async () => {
    const file = '$ORIGIN gen16.test.\n$TTL 3600\n@ IN A 192.0.2.1\n@ IN A 192.0.2.2\n';
    const imp = await t.h.call('import_zone_file', { zone: Z, zone_file: file });
    expect(imp.isError, imp.text).toBeFalsy();
    const applied = await t.h.call('apply_zone', { zone: Z, records: imp.structured?.['records'] as unknown[] });
    expect(applied.isError, applied.text).toBeFalsy();
    const again = await t.h.call('import_zone_file', { zone: Z, zone_file: file });
    expect(again.structured?.['changes']).toEqual([]);
    expect(again.text).toContain('name_ambiguous');
  });

  it('the audit reports it; the export names it in a comment instead of placing it at the apex', async () => {
    const audit = await t.h.call('audit_zone', { zone: Z });
    expect(audit.isError, audit.text).toBeFalsy();
    expect(audit.text).toContain('name_ambiguous');
    expect(audit.text).toContain('may be gen16.test. (the name written in full) or gen16.test.gen16.test. (a relative name');
    const exp = await t.h.call('export_zone_file', { zone: Z });
    const text = exp.structured?.['zone_file'] as string;
    expect(text).toMatch(/; not exported, its name is ambiguous \(gen16\.test\.gen16\.test\. or the name written in full\): gen16\.test 3600 IN A 192\.0\.2\.2/);
    expect(text.split('\n').filter((l) => !l.startsWith(';') && l.includes('192.0.2.2'))).toEqual([]);
  });

  it("the sandbox's nameservers serve it where the provider's BIND would: below the zone, not at the apex; check_propagation does not wait for it", async () => {
    const set: NameserverSet = await startNameservers(t.emu, '127.0.0.1', [{ host: 'ns1.vps.org', port: 0, publishDelayMs: 0 }]);
    try {
      const ns = set.nameservers[0] as { address: string; port: number };
      const dnsH = await startHarness({ emu: t.emu, env: { VPSORG_NAMESERVERS: `ns1.vps.org=127.0.0.1:${ns.port}` } });
      try {
        const apexCheck = await dnsH.call('check_propagation', { zone: Z, name: '@', record_type: 'A' });
        expect(apexCheck.isError, apexCheck.text).toBeFalsy();
        expect(apexCheck.structured?.['propagated'], apexCheck.text).toBe(true);
        const whole = await dnsH.call('check_propagation', { zone: Z });
        expect(whole.structured?.['propagated'], whole.text).toBe(true);
      } finally {
        await dnsH.close();
      }
      const apex = await queryDns({ address: ns.address, port: ns.port }, 'gen16.test', 'A');
      const below = await queryDns({ address: ns.address, port: ns.port }, 'gen16.test.gen16.test', 'A');
      const values = (r: typeof apex) => (r.ok ? r.answers.map((a) => a.value) : [r]);
      expect(values(apex)).toEqual(['192.0.2.1']);
      expect(values(below)).toEqual(['192.0.2.2']);
    } finally {
      await set.close();
    }
  });
});
