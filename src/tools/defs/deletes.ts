import * as z from 'zod';
import { defineTool, type ToolContext } from '../kit/types.js';
import { changeOut, confirmTokenArg, dryRunArg, recordTarget, warningsOut, zoneArg, zoneOut } from '../kit/schemas.js';
import { changeOutOf } from '../kit/output.js';
import { dataBlock, warningsText } from '../kit/format.js';
import { LIST_JSON, LIST_TEXT, fit, omittedNote } from '../kit/budget.js';
import { zoneResourceUri } from '../../resources/kinds.js';
import { planned, toCurrent } from '../kit/changes.js';
import { recordTargetOf, resolveRecord, type RecordTarget, type ZoneRef } from '../kit/resolve.js';
import { gateOut, runGated, type GateState } from '../../safety/gate.js';
import type { HoldPolicy } from '../../safety/marks.js';
import { approvalView } from '../../safety/approval-view.js';
import { renderDiff, type Change } from '../../domain/diff.js';
import { renderZoneFile, type ZoneFileOptions } from '../../domain/zonefile.js';
import { zoneFileHead } from '../../dns/zone-soa.js';
import { escapeForDisplay } from '../../domain/display.js';
import { ValidationError } from '../../errors.js';
import { liveZoneForWrite } from '../../safety/live-zone.js';
import type { DnsRecord } from '../../api/types.js';

// Not idempotent: a second identical delete finds nothing and fails (not_found / target_gone)
// rather than reporting success, so an agent never mistakes "already gone" for "I deleted it".
const HINTS = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true } as const;

const deleteDryRunArg = dryRunArg.describe('true: the preview only, no confirm_token.');

const deleteOutput = z.object({
  applied: z.boolean().describe('true only when the delete ran.'),
  zone: zoneOut.pick({ uuid: true, domain: true }),
  changes: z.array(changeOut).describe('What is (or would be) deleted; the first ones when there are many (the snapshot has them all).'),
  diff: z.string().describe('What is (or would be) deleted, as a zone-file-style diff (the first ones when there are many).'),
  warnings: warningsOut,
  ...gateOut,
});
type DeleteBase = Omit<z.infer<typeof deleteOutput>, keyof typeof gateOut>;

/** The state digest binds uuids and the provider's own fields, so any edit after the preview voids the token. */
function digestInput(zone: ZoneRef, records: DnsRecord[]) {
  const rows = records.map((r) => ({ uuid: r.uuid, name: r.name, record_type: r.record_type, value: r.value, ttl: r.ttl, priority: r.priority ?? null }));
  return { zone, records: rows.sort((a, b) => (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0)) };
}

/**
 * `records` are deleted from the zone that holds `zoneRecords`. `action` is for the human's form
 * (names allowed there); `headline` is for the agent's text, which holds no provider text outside a data block.
 */
function deleteState({ op, policy }: { op: string; policy: HoldPolicy }, zone: ZoneRef, records: DnsRecord[], zoneRecords: DnsRecord[], action: string, head: Partial<ZoneFileOptions>, headline = action): GateState<DeleteBase> {
  const current = records.map((r) => toCurrent(r, zone.domain));
  const changes: Change[] = current.map((before) => ({ action: 'delete', before }));
  // The audit findings the delete adds (an MX target left without an address...): the same path as every write tool.
  const zoneNow = zoneRecords.map((r) => toCurrent(r, zone.domain));
  const { warnings } = planned(zone, zoneNow, changes);
  // The preview shares the result budget with the gate's snapshot: a quarter of the lists' share each.
  const shown = fit(changes, { json: changeOutOf, text: (c) => renderDiff([c], zone.domain), jsonBytes: LIST_JSON / 4, textBytes: LIST_TEXT / 2 });
  const diff = renderDiff(shown.items, zone.domain);
  const more = omittedNote(shown.page, 'records', [`the snapshot and the resource ${zoneResourceUri('zonefile', zone.domain)} list them all`], { cursor: false });
  const snapshot = { zone: zone.domain, text: renderZoneFile(zone.domain, current, head) };
  return {
    digestInput: digestInput(zone, records),
    preview: {
      structured: { applied: false, zone, changes: shown.items.map(changeOutOf), diff, warnings },
      text: current.length ? `${headline}. It would delete ${current.length} record${current.length === 1 ? '' : 's'}:\n${dataBlock(diff.split('\n'))}${more ? `\n${more}` : ''}${warningsText(warnings)}` : `${headline}: the zone has no records; only the zone itself would go.`,
    },
    // The risk is judged against the whole zone (a one-record delete is a small share of a big zone).
    view: approvalView({ op, zone: zone.domain, action, changes, current: zoneNow, snapshot, findings: warnings, policy }),
    // A DELETE (of records or of the zone itself) needs dns:delete, whatever the records are.
    permissions: ['dns:delete'],
    snapshot,
  };
}

function done(state: GateState<DeleteBase>, what: string): { structured: DeleteBase; text: string } {
  const { diff, warnings } = state.preview.structured;
  return { structured: { ...state.preview.structured, applied: true }, text: `${what}${state.preview.structured.changes.length ? `:\n${dataBlock(diff.split('\n'))}` : '.'}${warningsText(warnings)}` };
}

async function recordState(ctx: ToolContext, args: RecordTarget & { whole_set?: boolean | undefined }) {
  if (args.whole_set && (args.record !== undefined || args.value !== undefined)) {
    throw new ValidationError([{ field: 'whole_set', rule: 'exclusive', message: 'whole_set takes zone + name + record_type, without `record` or `value`' }]);
  }
  const found = await resolveRecord(ctx.api, ctx.zones, recordTargetOf(args, args.value), args.whole_set ? { allowMany: true } : { orAmbiguous: 'whole_set: true for all of them' });
  const zone = found.zone as ZoneRef;
  const name = escapeForDisplay(toCurrent(found.record, zone.domain).name);
  const type = escapeForDisplay(found.record.record_type);
  const n = found.all.length;
  const what = n === 1 ? `the ${type} record at ${name}` : `the ${n} ${type} records at ${name}`;
  // A cut listing could miss the record that keeps a target valid: then no warnings rather than false ones.
  const { items, truncated } = await ctx.api.listZoneRecords(zone.uuid);
  return deleteState({ op: 'delete_record', policy: ctx.config }, zone, found.all, truncated ? found.all : items, `Delete ${what} in ${zone.domain}`, await zoneFileHead(ctx.config, zone.domain), `Delete ${n === 1 ? 'one' : n} ${type} record${n === 1 ? '' : 's'} in ${zone.domain}`);
}

export const deleteRecord = defineTool({
  name: 'delete_record',
  title: 'Delete a record',
  description:
    'Deletes one record, picked by `record` or zone + name + record_type (+ value), or a whole set (whole_set). Always two steps (confirm_token): it runs only if the record is unchanged since the preview. A record already gone fails.',
  toolset: 'records',
  essential: true,
  permission: 'dns:delete',
  input: z.object({ ...recordTarget, whole_set: z.boolean().optional().describe('true: every record at name + record_type.'), confirm_token: confirmTokenArg, dry_run: deleteDryRunArg }),
  output: deleteOutput,
  hints: HINTS,
  async handler(args, ctx) {
    return runGated(ctx, {
      op: 'delete_record',
      args,
      readState: () => recordState(ctx, args),
      async execute(state) {
        // The records previewed and signed into the confirmation (digestInput), every one of them.
        for (const { uuid } of (state.digestInput as ReturnType<typeof digestInput>).records) await ctx.api.deleteRecord(uuid);
        return done(state, `Deleted from ${state.preview.structured.zone.domain}`);
      },
    });
  },
});

/**
 * Deleting a whole zone behind the gate: delete_zone, and undo_change taking back a create_zone.
 * `check` sees the records before every round and may refuse (throw).
 */
export function deleteZoneGated(ctx: ToolContext, op: string, args: Record<string, unknown>, locate: () => Promise<ZoneRef>, check?: (zone: ZoneRef, records: DnsRecord[]) => void) {
  return runGated(ctx, {
    op,
    args,
    async readState() {
      const zone = await locate();
      // A complete snapshot, or no delete.
      const items = await liveZoneForWrite(ctx.api, zone, { nothing: 'Nothing was deleted.', hint: 'Delete records in smaller steps first (apply_zone), then delete the zone.' });
      check?.(zone, items);
      return deleteState({ op, policy: ctx.config }, zone, items, items, `Delete the zone ${zone.domain} and all its records`, await zoneFileHead(ctx.config, zone.domain));
    },
    async execute(state) {
      await ctx.api.deleteZone(state.preview.structured.zone.uuid);
      return done(state, `Deleted the zone ${state.preview.structured.zone.domain}`);
    },
  });
}

export const deleteZone = defineTool({
  name: 'delete_zone',
  title: 'Delete a zone',
  description:
    'Deletes a zone and all its records; the provider cannot undo it. Always two steps (confirm_token); the preview holds a BIND snapshot of the zone (import it to restore), and it runs only if the zone is unchanged since.',
  toolset: 'zones',
  permission: 'dns:delete',
  input: z.object({ zone: zoneArg, confirm_token: confirmTokenArg, dry_run: deleteDryRunArg }),
  output: deleteOutput,
  hints: HINTS,
  async handler(args, ctx) {
    return deleteZoneGated(ctx, 'delete_zone', args, () => ctx.zones.resolve(args.zone));
  },
});
