/**
 * Bounded by default (issue 12, point 5): every tool, on a zone of 2,000 records in the sandbox,
 * answers within the result budget (16 KB of text, 64 KB of structuredContent), and where more
 * exists it says how much was left out and how to get it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVAL_FROM_PREVIEW, BIG_ZONE, LONG_TXT_MARK, UNDO_ZONE, bigZoneCalls, bigZoneRecords, startBigZone, type BigZoneWorld } from '../helpers/big-zone.js';
import { startHarness } from '../helpers/harness.js';
import { STRUCTURED_LIMIT, TEXT_LIMIT, resultSize } from '../../src/tools/kit/budget.js';

const N = 2000;
let w: BigZoneWorld;

beforeAll(async () => {
  w = await startBigZone(N);
}, 60_000);
afterAll(async () => {
  await w?.close();
});

/**
 * approve_plan with the approval an MCP Apps client's preview of the same call carries (its _meta,
 * bounded too), called by that client: approve_plan is served to MCP Apps clients only.
 */
async function approveWithApps(args: Record<string, unknown>) {
  const apps = await startHarness({ emu: w.sb.emu, env: { ...w.sb.env }, apps: true });
  try {
    const preview = await apps.call(String(args['tool']), JSON.parse(String(args['arguments'])) as Record<string, unknown>);
    expect(preview.structured?.['confirmation']).toBe('awaiting_approval');
    const meta = (preview.raw as { _meta?: Record<string, { approval: string }> })._meta ?? {};
    expect(JSON.stringify(meta).length, 'the approval view in _meta').toBeLessThanOrEqual(STRUCTURED_LIMIT);
    return await apps.call('approve_plan', { ...args, approval: meta['vpsorg-dns-mcp/approval']?.approval });
  } finally {
    await apps.close();
  }
}

const count = (text: string, s: string) => text.split(s).length - 1;

describe(`every tool on a zone of ${N} records`, () => {
  it('covers every tool the server lists', async () => {
    const listed = await w.h.toolNames();
    const missing = listed.filter((t) => !(t in bigZoneCalls(w.records)));
    expect(missing, 'add a call for each new tool to bigZoneCalls in test/helpers/big-zone.ts').toEqual([]);
  });

  it('no result exceeds 16 KB of text or 64 KB of structuredContent', async () => {
    const sizes: Record<string, { text: number; structured: number }> = {};
    // A change for undo_change to preview taking back.
    const made = await w.h.call('create_record', { zone: UNDO_ZONE, record_type: 'A', name: 'u', value: '192.0.2.7' });
    const changeId = (made.structured?.['undo'] as { change_id: string }).change_id;
    for (const [tool, given] of Object.entries(bigZoneCalls(w.records, changeId))) {
      const r = given['approval'] === APPROVAL_FROM_PREVIEW ? await approveWithApps(given) : await w.h.call(tool, given);
      expect(r.isError, `${tool}: ${r.text.slice(0, 400)}`).toBeFalsy();
      sizes[tool] = resultSize(r.text, r.structured);
    }
    const over = Object.entries(sizes).filter(([, s]) => s.text > TEXT_LIMIT || s.structured > STRUCTURED_LIMIT);
    expect(over, JSON.stringify(sizes)).toEqual([]);
  }, 120_000);

  it('a list that was cut says how much was left out, and its cursor reaches every record', async () => {
    const first = await w.h.call('list_records', { zone: BIG_ZONE });
    const page = first.structured?.['page'] as { total: number; returned: number; omitted: number; next_cursor?: string };
    expect(page.total).toBe(N);
    expect(page.omitted).toBe(N - page.returned);
    expect(first.text).toContain(`${page.omitted} more left out`);
    expect(first.text).toContain(`cursor "${page.next_cursor}"`);
    expect(first.text).toContain(`vpsorg://zones/${BIG_ZONE}/records`);
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let i = 0; i < 50; i++) {
      const r = await w.h.call('list_records', { zone: BIG_ZONE, ...(cursor ? { cursor } : {}) });
      for (const rec of r.structured?.['records'] as Array<{ uuid: string }>) seen.add(rec.uuid);
      cursor = (r.structured?.['page'] as { next_cursor?: string }).next_cursor;
      if (!cursor) break;
    }
    expect(seen.size).toBe(N);
    const bad = await w.h.call('list_records', { zone: BIG_ZONE, cursor: 'page-two' });
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/cursor/);
  }, 60_000);

  it('audit_zone groups identical findings with a count and a few examples; `code` lists them all', async () => {
    const r = await w.h.call('audit_zone', { zone: BIG_ZONE });
    const groups = r.structured?.['findings'] as Array<{ code: string; count: number; examples: unknown[] }>;
    const priv = groups.find((g) => g.code === 'private_address');
    expect(priv?.count).toBeGreaterThan(1000);
    expect(priv?.examples.length).toBeLessThanOrEqual(3);
    expect(new Set(groups.map((g) => g.code)).size).toBe(groups.length);
    expect(r.text).toMatch(new RegExp(`private_address +x${priv?.count}`));
    const one = await w.h.call('audit_zone', { zone: BIG_ZONE, code: 'private_address' });
    const page = one.structured?.['page'] as { total: number; returned: number; next_cursor?: string };
    expect(page.total).toBe(priv?.count);
    expect(page.returned).toBeGreaterThan(3);
    expect(one.text).toContain(`cursor "${page.next_cursor}"`);
  });

  it('whole-zone check_propagation: counts for every set, detail only for sets not in sync', async () => {
    const r = await w.h.call('check_propagation', { zone: BIG_ZONE });
    expect(r.structured?.['total_sets']).toBeGreaterThan(1000);
    const sets = r.structured?.['sets'] as Array<{ propagated: boolean }>;
    expect(sets.every((s) => !s.propagated)).toBe(true);
    const page = r.structured?.['sets_page'] as { total: number; returned: number; omitted: number };
    expect(page.returned).toBe(sets.length);
    expect(page.omitted).toBe(page.total - page.returned);
    expect(r.text).toContain(`${page.omitted} more left out`);
  }, 60_000);

  it('a long TXT value is printed once, not once per nameserver', async () => {
    const r = await w.h.call('check_propagation', { zone: BIG_ZONE, name: 'long', record_type: 'TXT' });
    expect(r.isError, r.text).toBeFalsy();
    const servers = (r.structured?.['result'] as { servers: Array<{ status: string }> }).servers;
    expect(servers.some((s) => s.status === 'in_sync')).toBe(true);
    expect(count(r.text, LONG_TXT_MARK)).toBe(1);
  });

  it(`undo_change of a ${N}-record apply_zone: the dry run is in budget, conflicts first, and says how many sets it left out`, async () => {
    const zone = 'undo-big.example';
    w.sb.emu.store.addZone(zone);
    const records = bigZoneRecords(N).map((r) => ({ name: r.name, record_type: r.record_type, value: r.value.replace(BIG_ZONE, zone), ...(r.priority !== undefined ? { priority: r.priority } : {}) }));
    // Confirmed with the token if the gate holds it (2,000 changes may exceed the zone's change budget).
    const confirmed = async (tool: string, args: Record<string, unknown>) => {
      const first = await w.h.call(tool, args);
      const token = first.structured?.['confirm_token'];
      return typeof token === 'string' ? w.h.call(tool, { ...args, confirm_token: token }) : first;
    };
    const made = await confirmed('apply_zone', { zone, records });
    expect(made.structured?.['applied'], made.text.slice(0, 400)).toBe(true);
    const changeId = (made.structured?.['undo'] as { change_id: string }).change_id;
    // Someone edits one of the sets afterwards: a conflict, which the preview shows first.
    expect((await confirmed('patch_record', { zone, name: 'h1', record_type: 'A', value: '192.0.2.99' })).structured?.['applied']).toBe(true);
    const r = await w.h.call('undo_change', { change_id: changeId, dry_run: true });
    expect(r.isError, r.text.slice(0, 400)).toBeFalsy();
    const size = resultSize(r.text, r.structured);
    expect(size.text).toBeLessThanOrEqual(TEXT_LIMIT);
    expect(size.structured).toBeLessThanOrEqual(STRUCTURED_LIMIT);
    const sets = r.structured?.['sets'] as Array<{ name: string; status: string }>;
    const page = r.structured?.['sets_page'] as { total: number; returned: number; omitted: number };
    expect(sets[0]).toMatchObject({ name: 'h1', status: 'conflict' });
    expect(page).toMatchObject({ total: N, returned: sets.length, omitted: N - sets.length });
    expect(r.text).toContain(`${N - 1} set(s) to restore`);
    expect(r.text).toContain(`${page.omitted} more left out`);
  }, 180_000);

  it('a delete preview of the whole zone keeps the snapshot in budget and says where the whole zone is', async () => {
    const r = await w.h.call('delete_zone', { zone: BIG_ZONE });
    expect(r.structured?.['confirmation']).toBe('required');
    expect(r.text).toContain(`vpsorg://zones/${BIG_ZONE}/zonefile`);
    expect(w.sb.emu.store.findZone(BIG_ZONE)?.records?.length).toBe(N);
  });
});
