/**
 * Issue 22 points 2-4: a zone file applied in one call (`zone_file` on plan_zone / apply_zone,
 * read as import_zone_file reads it, any size, same modes and gate), import's `records` taken back
 * by apply_zone as they are, values kept exactly (down to what the sandbox nameservers serve), and
 * a previous host's apex NS left out unless asked for.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { queryDns } from '../../src/dns/query.js';
import { sandboxedServer } from '../helpers/emulated.js';

const t = sandboxedServer('vpsorg-zonefile-');
const ZONE = 'move.test';
const live = () => (t.sb.emu.store.findZone(ZONE)?.records ?? []).map((r) => `${r.name} ${r.record_type} ${r.value}`).sort();

/** Calls a write tool and, when it asks for confirmation, confirms with its token (the user agreed). */
async function confirmed(tool: string, args: Record<string, unknown>) {
  const first = await t.h.call(tool, args);
  const token = first.structured?.['confirm_token'] as string | undefined;
  return token ? t.h.call(tool, { ...args, confirm_token: token }) : first;
}

const HOSTS = Array.from({ length: 400 }, (_, i) => `h${i} IN A 192.0.2.${(i % 250) + 1}`);
const FILE = [
  `$ORIGIN ${ZONE}.`,
  '$TTL 3600',
  '@ IN SOA ns1.oldhost.net. hostmaster.oldhost.net. 1 7200 900 1209600 300',
  '@ IN NS ns1.oldhost.net.',
  '@ IN NS ns2.oldhost.net.',
  '@ IN A 192.0.2.1',
  // Relative: a3-6.shop.test.move.test., which reads like zone shop.test of the account.
  'a3-6.shop.test IN A 192.0.2.5',
  'api.dev IN A 192.0.2.6',
  'lit IN TXT "\\"quoted inside\\""',
  ...HOSTS,
].join('\n');

beforeAll(() => {
  t.sb.emu.store.addZone(ZONE, [{ record_type: 'A', name: 'old', value: '192.0.2.200' }]);
  t.sb.emu.store.addZone('shop.test', []);
});

describe('zone files applied directly (issue 22.2-22.4)', () => {
  it("import_zone_file leaves the old host's apex NS out with a note, and its records go back to apply_zone as they are", async () => {
    const imp = await t.h.call('import_zone_file', { zone: ZONE, zone_file: FILE });
    expect(imp.isError, imp.text).toBeFalsy();
    expect(imp.structured?.['notes']).toEqual([expect.stringMatching(/^Left out 2 apex NS records .*\n.*\nns1\.oldhost\.net\.\nns2\.oldhost\.net\.\n/)]);
    expect(imp.text).toContain('keep_apex_ns');
    const records = imp.structured?.['records'] as Array<{ name: string; record_type: string; value: string }>;
    expect(records.filter((r) => r.record_type === 'NS')).toEqual([]);
    // A large file comes in parts for review, yet applies in one call with zone_file.
    expect((imp.structured?.['records_page'] as { next_cursor?: string }).next_cursor).toBeDefined();
    expect(records.find((r) => r.value === '192.0.2.5')?.name).toBe('a3-6.shop.test.move.test.');
    expect(records.find((r) => r.value === '192.0.2.6')?.name).toBe('api.dev');
    expect(records.find((r) => r.record_type === 'TXT')?.value).toBe('"\\"quoted inside\\""');
    const taken = await t.h.call('apply_zone', { zone: ZONE, records, dry_run: true });
    expect(taken.isError, taken.text).toBeFalsy();

    const kept = await t.h.call('import_zone_file', { zone: ZONE, zone_file: FILE, keep_apex_ns: true, limit: 5 });
    expect((kept.structured?.['records'] as Array<{ record_type: string }>).filter((r) => r.record_type === 'NS')).toHaveLength(2);
    expect(kept.structured?.['notes']).toEqual([]);
  });

  it('plan_zone takes zone_file and plans what import_zone_file plans; keep_apex_ns keeps the NS; records and zone_file exclude each other', async () => {
    const imp = await t.h.call('import_zone_file', { zone: ZONE, zone_file: FILE, mode: 'sync' });
    const plan = await t.h.call('plan_zone', { zone: ZONE, zone_file: FILE, mode: 'sync' });
    expect(plan.isError, plan.text).toBeFalsy();
    expect(plan.structured?.['counts']).toEqual(imp.structured?.['counts']);
    expect(plan.structured?.['counts']).toEqual({ creates: HOSTS.length + 4, updates: 0, deletes: 1, unchanged: 0 });
    expect(plan.structured?.['notes']).toEqual([expect.stringMatching(/^1 zone file record skipped \(SOA/), expect.stringMatching(/^Left out 2 apex NS records .*\n.*\nns1\.oldhost\.net\.\nns2\.oldhost\.net\.\n/)]);
    const withNs = await t.h.call('plan_zone', { zone: ZONE, zone_file: FILE, keep_apex_ns: true });
    expect((withNs.structured?.['counts'] as { creates: number }).creates).toBe(HOSTS.length + 6);
    expect(withNs.structured?.['risk']).toMatchObject({ touches_apex_ns: true });
    const both = await t.h.call('plan_zone', { zone: ZONE, zone_file: FILE, records: [] });
    expect(both.isError).toBe(true);
    expect(both.text).toMatch(/records.*either `records` or `zone_file`/s);
  });

  it('apply_zone applies a whole file in one call (sync, through the gate) and the values are served exactly', async () => {
    const r = await confirmed('apply_zone', { zone: ZONE, zone_file: FILE, mode: 'sync' });
    expect(r.isError, r.text).toBeFalsy();
    expect(r.structured?.['applied']).toBe(true);
    expect(live()).toHaveLength(HOSTS.length + 4);
    expect(live()).toEqual(expect.arrayContaining(['@ A 192.0.2.1', 'a3-6.shop.test A 192.0.2.5', 'api.dev A 192.0.2.6', 'lit TXT "quoted inside"']));
    expect(live().some((l) => l.startsWith('old ') || l.includes(' NS '))).toBe(false);

    const again = await t.h.call('plan_zone', { zone: ZONE, zone_file: FILE, mode: 'sync' });
    expect(again.structured?.['changes']).toEqual([]);
    const exported = ((await t.h.client.readResource({ uri: `vpsorg://zones/${ZONE}/zonefile` })).contents[0] as { text: string }).text;
    expect(exported).toMatch(/^lit\s+3600 IN TXT\s+"\\"quoted inside\\""$/m);
    for (const ns of t.sb.nameservers) {
      const served = await queryDns({ address: ns.address, port: ns.port }, `lit.${ZONE}`, 'TXT');
      expect(served.ok && served.answers.filter((a) => a.type === 'TXT').map((a) => a.value)).toEqual(['"quoted inside"']);
    }
  });
});
