/**
 * A zone of N records in the sandbox (emulator + two real nameservers, the second lagging so a
 * whole-zone propagation check has every set to report), and one call of every tool against it:
 * the output-bounds test and the bench's output-size rows drive the same calls.
 */
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { normaliseRecord } from '../../src/domain/model.js';
import { renderZoneFile } from '../../src/domain/zonefile.js';
import type { SeedRecord } from '../../src/emulator/types.js';
import { startHarness, type Harness } from './harness.js';

export const BIG_ZONE = 'big.example';
/** A long TXT value, recognisable by its marker. */
export const LONG_TXT_MARK = 'long-txt-marker';
export const LONG_TXT = `${LONG_TXT_MARK} ${'x'.repeat(1500)}`;

/** N records of the kinds a real zone holds, chosen so the audit finds the same thing many times. */
export function bigZoneRecords(n: number): SeedRecord[] {
  const out: SeedRecord[] = [{ record_type: 'TXT', name: 'long', value: LONG_TXT }];
  for (let i = 1; out.length < n; i++) {
    const k = i % 10;
    if (k <= 5) out.push({ record_type: 'A', name: `h${i}`, value: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` });
    else if (k === 6) out.push({ record_type: 'TXT', name: `t${i}`, value: `site-verification=${'v'.repeat(80)}${i}` });
    else if (k === 7) out.push({ record_type: 'CNAME', name: `c${i}`, value: `h${i - 7}.${BIG_ZONE}` });
    else if (k === 8) out.push({ record_type: 'MX', name: `m${i}`, value: `mx${i}.mail.example.net`, priority: 10 });
    else out.push({ record_type: 'AAAA', name: `v${i}`, value: `2001:db8::${i.toString(16)}` });
  }
  return out;
}

export interface BigZoneWorld {
  sb: Sandbox;
  h: Harness;
  records: SeedRecord[];
  close(): Promise<void>;
}

/** The sandbox with BIG_ZONE of `n` records, published on ns1 only (ns2 lags for ten minutes). */
export async function startBigZone(n: number): Promise<BigZoneWorld> {
  const sb = await startSandbox({ publishDelayMs: [0, 600_000] });
  const records = bigZoneRecords(n);
  sb.emu.store.addZone(BIG_ZONE, records);
  sb.emu.store.addZone('empty.example');
  sb.emu.store.addZone(UNDO_ZONE);
  const h = await startHarness({ emu: sb.emu, env: { ...sb.env } });
  return {
    sb,
    h,
    records,
    async close() {
      await h.close();
      await sb.close();
    },
  };
}

/** One call of every tool, on the big zone where the tool takes one; none of them changes anything. */
/** A zone of its own for the change undo_change previews (so the big zone stays as it is). */
export const UNDO_ZONE = 'undo-bounds.example';

/** Stands for the approval an Apps client's preview carries (output-bounds.test.ts fills it in). */
export const APPROVAL_FROM_PREVIEW = '(from the preview)';

export function bigZoneCalls(records: SeedRecord[], changeId = 'chg_none'): Record<string, Record<string, unknown>> {
  const desired = records.map((r) => ({ name: r.name, record_type: r.record_type, value: r.value, ttl: 600, ...(r.priority !== undefined ? { priority: r.priority } : {}) }));
  const specs = records.map((r) => normaliseRecord({ ...r, ttl: 3600, priority: r.priority ?? null }, 'empty.example'));
  const zone = BIG_ZONE;
  return {
    whoami: {},
    list_zones: {},
    get_zone: { zone },
    create_zone: { domain: 'new.example', dry_run: true },
    list_records: { zone },
    search_records: {},
    get_record: { zone, name: 'long', record_type: 'TXT' },
    create_record: { zone, record_type: 'TXT', name: 'long2', value: LONG_TXT, dry_run: true },
    update_record: { zone, name: 'long', record_type: 'TXT', value: `${LONG_TXT}y`, dry_run: true },
    patch_record: { zone, name: 'h1', record_type: 'A', value: '192.0.2.1', dry_run: true },
    update_ttl: { zone, name: 'h1', record_type: 'A', ttl: 600, dry_run: true },
    delete_record: { zone, name: 'h1', record_type: 'A' },
    delete_zone: { zone },
    plan_zone: { zone, records: desired, mode: 'sync' },
    apply_zone: { zone, records: desired, mode: 'sync' },
    export_zone_file: { zone },
    import_zone_file: { zone: 'empty.example', zone_file: renderZoneFile('empty.example', specs) },
    check_propagation: { zone },
    check_delegation: { zone },
    audit_zone: { zone },
    list_changes: { limit: 100 },
    undo_change: { change_id: changeId, dry_run: true },
    acme_challenge: { action: 'cleanup', domain: zone, value: 'Xq0DWlyplN-8tuMbJlnJUvRVpqIRAdqb9KvRi4mHzu0' },
    // App-only (the plan view's Approve): the bounds test gets the approval from an Apps client's preview of this call, and runs it last.
    approve_plan: { tool: 'apply_zone', arguments: JSON.stringify({ zone, records: desired, mode: 'sync' }), approval: APPROVAL_FROM_PREVIEW },
  };
}
