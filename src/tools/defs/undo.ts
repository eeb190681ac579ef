import * as z from 'zod';
import { defineTool, type ToolContext } from '../kit/types.js';
import { confirmTokenArg, dryRunArg, zoneArg } from '../kit/schemas.js';
import { applyOutput, runPlanned } from './zone-plan.js';
import { planOf } from '../kit/plan.js';
import { toCurrent } from '../kit/changes.js';
import { canonicalDomain, zoneNamed, type ZoneRef } from '../kit/resolve.js';
import { deleteZoneGated } from './deletes.js';
import { ValidationError } from '../../errors.js';
import { recordKey } from '../../domain/model.js';
import { undoSource, type UndoSource } from '../../history/lookup.js';
import { refused } from '../../history/receipt.js';
import { actorLabel, sameActor } from '../../history/listing.js';
import { planUndo, type UndoPlan } from '../../history/undo-plan.js';
import { conflictBlock, conflictError, setsView, verdictLine } from '../../history/undo-text.js';
import { LIST_JSON, fit, pageOut } from '../kit/budget.js';
import { setKeyOf } from '../../history/sets.js';
import { undoHold } from '../../safety/undo-hold.js';
import { liveZoneForWrite } from '../../safety/live-zone.js';

const rowSchema = z.object({ value: z.string(), ttl: z.number(), priority: z.number().nullable() });
const verdictSchema = z.object({ name: z.string(), record_type: z.string(), status: z.enum(['restore', 'already_undone', 'conflict']), before: z.array(rowSchema), after: z.array(rowSchema).nullable(), now: z.array(rowSchema) });

const output = applyOutput.partial().extend({
  undoing: z.object({ change_id: z.string(), tool: z.string(), kind: z.string(), at: z.string(), undone_by: z.string().optional() }),
  sets: z.array(verdictSchema).describe('Per record set, conflicts first: restore (now as the change left it), already_undone (now as before it), conflict (changed since: left alone). The first ones when sets_page.omitted > 0.'),
  sets_page: pageOut,
  uuid_map: z.array(z.object({ old: z.string(), new: z.string() })).describe('Records created again: their uuid before the change -> their new uuid (the first ones of many: list_records has them all).'),
});

/** The zone a receipt names, as it is now: the same uuid with another domain is not the same zone. */
function sameZone(live: ZoneRef, want: ZoneRef): ZoneRef {
  if (live.domain !== want.domain) throw refused('other_zone', `its zone ${want.uuid} is now ${live.domain}, not ${want.domain}.`, 'Nothing to undo there.');
  return live;
}

/** The zone as it is now; null when a deleted zone is not there (it is created again only once the undo is applied: see prepare below). */
async function liveZone(ctx: ToolContext, src: UndoSource): Promise<ZoneRef | null> {
  const { zone, kind } = src.receipt;
  if (kind !== 'zone_deleted') return sameZone(await ctx.zones.resolve(zone.uuid), zone);
  const hit = zoneNamed((await ctx.api.listZones({ domain: zone.domain })).items, zone.domain);
  return hit ? { uuid: hit.uuid, domain: zone.domain } : null;
}

async function uuidMap(ctx: ToolContext, zone: ZoneRef, plan: UndoPlan): Promise<Array<{ old: string; new: string }>> {
  const olds = plan.creates.filter((c) => c.oldUuid);
  if (!olds.length) return [];
  const live = (await ctx.api.listZoneRecords(zone.uuid).catch(() => ({ items: [] }))).items.map((r) => toCurrent(r, zone.domain));
  const pairs = olds.flatMap((c) => {
    const hit = live.find((r) => recordKey(r) === recordKey(c));
    return hit ? [{ old: c.oldUuid as string, new: hit.uuid }] : [];
  });
  return fit(pairs, { json: (p) => p, jsonBytes: LIST_JSON / 6 }).items;
}

export const undoChange = defineTool({
  name: 'undo_change',
  title: 'Undo a change',
  description:
    'Takes back a change this server made. Each record set it touched is restored if still as the change left it; a set changed since is a conflict, and then nothing is undone unless partial: true. Try dry_run first. Undoing delete_zone recreates the zone (uuid_map: new uuids). An undo can be undone.',
  toolset: 'history',
  essential: true,
  permission: 'dns:create',
  input: z.strictObject({
    change_id: z.string().min(1).max(100).optional().describe('From list_changes or a change result. This or `receipt`.'),
    receipt: z.string().min(1).max(250_000).optional().describe("A change result's undo.receipt; works without the journal."),
    zone: zoneArg.optional().describe('Optional check: refused if the change is in another zone.'),
    dry_run: dryRunArg,
    partial: z.boolean().optional().describe('true: undo the sets without conflict anyway.'),
    confirm_token: confirmTokenArg,
  }),
  output,
  hints: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    if (!args.change_id && !args.receipt) throw new ValidationError([{ field: 'change_id', rule: 'required', message: 'give change_id (list_changes shows them) or receipt' }]);
    const src = await undoSource(ctx.config, args, Date.now());
    const r = src.receipt;
    ctx.zones.assertAllowed(r.zone.domain);
    // A signed-in caller undoes its own changes; another caller's only with dns.approve (the receipt's actor is signed).
    const who = ctx.caller;
    if (who?.scopes != null && !who.scopes.has('dns.approve') && !sameActor(r.actor, who.actor)) {
      throw refused('other_actor', `change ${r.id} was made by ${r.actor ? actorLabel(r.actor) : 'an unknown caller'}, not by you.`, "Ask whoever made it to undo it; undoing another caller's change needs the OAuth scope dns.approve.");
    }
    if (args.zone !== undefined && canonicalDomain(args.zone) !== r.zone.domain && args.zone.trim() !== r.zone.uuid) {
      throw refused('other_zone', `it is for ${r.zone.domain}, not ${args.zone}.`, 'Undo it in its own zone, or pass the receipt of the change you meant.');
    }
    const undoing = { change_id: r.id, tool: r.tool, kind: r.kind, at: new Date(r.at).toISOString(), ...(src.undoneBy ? { undone_by: src.undoneBy } : {}) };
    if (ctx.history) ctx.history.undoes = r.id;
    // Taking back a confirmed change (or one made through another channel) is confirmed the same way.
    const hold = undoHold(r.via, ctx.client);
    if (hold) ctx = { ...ctx, hold };
    let plan: UndoPlan = planUndo(src.sets, []);
    if (r.kind === 'zone_created') {
      const keys = new Set(src.sets.map((s) => setKeyOf({ name: s.n, record_type: s.t })));
      const out = await deleteZoneGated(ctx, 'undo_change', args, async () => sameZone(await ctx.zones.resolve(r.zone.uuid), r.zone), (zone, items) => {
        const live = items.map((i) => toCurrent(i, zone.domain));
        plan = planUndo(src.sets, live, src.after);
        const extra = live.filter((l) => !keys.has(setKeyOf(l)));
        const conflicts = plan.verdicts.filter((v) => v.status === 'conflict');
        if (extra.length || conflicts.length) throw conflictError([...conflicts, ...planUndo(extra.map((e) => ({ n: e.name, t: e.record_type, b: [], a: '' })), live).verdicts], plan.verdicts.length + extra.length);
      });
      if ('inputRequired' in out) return out;
      const view = setsView(plan.verdicts);
      return { ...out, structured: { ...out.structured, dry_run: !!args.dry_run, undoing, sets: view.sets, sets_page: view.sets_page, uuid_map: [] }, text: `Undo of ${r.id} (${r.tool}): delete the zone it created.${view.note ? ` ${view.note}` : ''}\n${out.text}` };
    }
    let zone = await liveZone(ctx, src);
    const out = await runPlanned(ctx, {
      op: 'undo_change',
      args,
      // Nothing is written before the gate lets the undo run, the zone's creation included.
      async prepare(p) {
        if (zone) return p;
        const created = await ctx.api.createZone(r.zone.domain);
        zone = { uuid: created.uuid, domain: r.zone.domain };
        return { ...p, zone };
      },
      async compute() {
        const z = zone;
        const current = z ? (await liveZoneForWrite(ctx.api, z)).map((i) => toCurrent(i, z.domain)) : [];
        plan = planUndo(src.sets, current, src.after);
        const conflicts = plan.verdicts.filter((v) => v.status === 'conflict');
        if (conflicts.length && !args.partial && !args.dry_run) throw conflictError(conflicts, plan.verdicts.length);
        if (conflicts.length && ctx.history) ctx.history.partial = true;
        return planOf(zone ?? { uuid: '(to be created)', domain: r.zone.domain }, current, plan.changes, 'sync', [], ctx.config);
      },
    });
    if ('inputRequired' in out) return out;
    const map = out.structured.applied && zone ? await uuidMap(ctx, zone, plan) : [];
    const head = `Undo of ${r.id} (${r.tool} on ${r.zone.domain}): ${verdictLine(plan.verdicts)}${src.undoneBy ? ` The journal says ${src.undoneBy} already undid it.` : ''}`;
    const conflicts = plan.verdicts.filter((v) => v.status === 'conflict');
    const conflictNote = conflicts.length ? `\nConflicts (before / after / now):\n${conflictBlock(conflicts)}${args.dry_run && !args.partial ? '\nWith these conflicts nothing would be undone unless partial: true.' : ''}` : '';
    const view = setsView(plan.verdicts);
    return { ...out, structured: { ...out.structured, undoing, sets: view.sets, sets_page: view.sets_page, uuid_map: map }, text: `${head}${view.note ? ` ${view.note}` : ''}${conflictNote}\n${out.text}` };
  },
});
