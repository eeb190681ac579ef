import * as z from 'zod';
import { defineTool, type ToolContext } from '../kit/types.js';
import * as SAY from '../kit/texts.js';
import { budgetTokenArg, confirmTokenArg, dryRunArg, nameArg, priorityArg, recordTypeArg, recordUuidArg, ttlArg, valueArg, zoneArg } from '../kit/schemas.js';
import { checkZoneAfter, checkedSpec, planned, toCurrent, updateChange } from '../kit/changes.js';
import { writeOutput, writeRecords } from '../kit/write-result.js';
import { readName, recordTargetOf, resolveRecord, type RecordTarget } from '../kit/resolve.js';
import { hasPriority, readingNotes, recordKey, type RecordSpec } from '../../domain/model.js';
import type { Change, CurrentRecord } from '../../domain/diff.js';
import { UserError, ValidationError } from '../../errors.js';
import { liveZoneForWrite } from '../../safety/live-zone.js';

const HINTS = { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true } as const;
/** Tools that can overwrite or remove a value say so, so clients that auto-approve the rest ask their user. */
const OVERWRITES = { ...HINTS, destructiveHint: true } as const;
function notesFor(spec: { record_type: string; name: string }, domain: string, raw: string): string[] {
  return readingNotes({ ...spec, value: raw }, domain);
}

export const createRecord = defineTool({
  name: 'create_record',
  title: 'Create a record',
  description:
    'Adds one record (other values at the name stay). Validated before anything is sent (value rules, CNAME conflicts); an existing identical record is left as it is.',
  toolset: 'records',
  essential: true,
  permission: 'dns:create',
  input: z.object({
    zone: zoneArg,
    record_type: recordTypeArg,
    name: nameArg,
    value: valueArg,
    ttl: ttlArg.optional(),
    priority: priorityArg.optional(),
    dry_run: dryRunArg,
    confirm_token: confirmTokenArg,
    budget_token: budgetTokenArg,
  }),
  output: writeOutput,
  hints: HINTS,
  handler: (args, ctx) => writeRecords(ctx, 'create_record', args, async () => {
    const zone = await ctx.zones.resolve(args.zone);
    const owner = await readName(ctx.zones, zone, args.name);
    const spec = checkedSpec({ ...args, name: owner.name }, zone.domain);
    const current = (await liveZoneForWrite(ctx.api, zone)).map((r) => toCurrent(r, zone.domain));
    const same = current.find((r) => recordKey(r) === recordKey(spec));
    if (same && same.ttl !== spec.ttl) {
      throw new UserError(`That record already exists in ${zone.domain} with ttl ${same.ttl} (uuid ${same.uuid}).`, {
        code: 'exists',
        field: 'ttl',
        hint: 'Use update_ttl to change its TTL.',
      });
    }
    const changes: Change[] = same ? [] : [{ action: 'create', after: spec }];
    checkZoneAfter(current, changes, zone.domain);
    return { ...planned(zone, current, changes), notes: [...owner.notes, ...notesFor(spec, zone.domain, args.value)] };
  }),
});

/** Fields that pick the record to change, for the tools whose `value` is the new value. */
const updateTarget = {
  record: recordUuidArg.optional(),
  zone: zoneArg.optional(),
  name: nameArg.optional().describe(`${SAY.NAME} With \`record\`: renames it.`),
  record_type: recordTypeArg.optional().describe('Record type. With `record`: retypes it.'),
  match_value: z.string().max(4096).optional().describe(SAY.PICK_VALUE),
};

/** The record to change, the zone around it, and (picked by uuid) the new name it is renamed to, read as agents write names. */
async function targetFor(ctx: ToolContext, target: RecordTarget, opts: { allowMany?: boolean; rename?: string | undefined } = {}) {
  // Writes must know the zone (to normalise names and to check the result), so a bare uuid is located first.
  const found = await resolveRecord(ctx.api, ctx.zones, target, opts);
  const zone = found.zone;
  const renamed = target.record && opts.rename !== undefined ? await readName(ctx.zones, zone, opts.rename) : undefined;
  const current = (await liveZoneForWrite(ctx.api, zone)).map((r) => toCurrent(r, zone.domain));
  const before = current.find((r) => r.uuid === found.record.uuid) ?? toCurrent(found.record, zone.domain);
  return { zone, current, before, all: found.all, newName: renamed?.name, notes: renamed?.notes ?? [] };
}

type UpdateArgs = { record?: string | undefined; name?: string | undefined; record_type?: string | undefined; ttl?: number | undefined; priority?: number | undefined };

/** The record after an update or patch: fields not given keep their current value; picked by uuid, name and record_type may rename or retype it. */
function afterOf(args: UpdateArgs, before: CurrentRecord, value: string, domain: string): RecordSpec {
  const type = args.record ? (args.record_type ?? before.record_type) : before.record_type;
  return checkedSpec(
    {
      name: args.record ? (args.name ?? before.name) : before.name,
      record_type: type,
      value,
      ttl: args.ttl ?? before.ttl,
      // A retype to a type without priority (MX -> CNAME) leaves the old priority behind.
      priority: args.priority ?? (hasPriority(type) ? before.priority : null),
    },
    domain,
  );
}

function update(current: CurrentRecord[], before: CurrentRecord, after: RecordSpec, domain: string): Change[] {
  const change = updateChange(before, after);
  const changes = change ? [change] : [];
  checkZoneAfter(current, changes, domain);
  return changes;
}

export const updateRecord = defineTool({
  name: 'update_record',
  title: 'Replace a record',
  description:
    'Sets the value of one record (ttl, priority kept unless given), picked by `record` or zone + name + record_type (+ match_value).',
  toolset: 'records',
  permission: 'dns:update',
  input: z.object({ ...updateTarget, value: valueArg, ttl: ttlArg.optional(), priority: priorityArg.optional(), dry_run: dryRunArg, confirm_token: confirmTokenArg, budget_token: budgetTokenArg }),
  output: writeOutput,
  hints: OVERWRITES,
  handler: (args, ctx) =>
    writeRecords(ctx, 'update_record', args, async () => {
      const { zone, current, before, newName, notes } = await targetFor(ctx, recordTargetOf(args, args.match_value), { rename: args.name });
      const after = afterOf({ ...args, name: newName }, before, args.value, zone.domain);
      return { ...planned(zone, current, update(current, before, after, zone.domain)), notes: [...notes, ...notesFor(after, zone.domain, args.value)] };
    }, { put: true }),
});

export const patchRecord = defineTool({
  name: 'patch_record',
  title: 'Change fields of a record',
  description:
    'Changes some fields of one record: value, ttl, priority, or (picked by `record`) name and record_type. Fields left out stay.',
  toolset: 'records',
  permission: 'dns:update',
  input: z.object({ ...updateTarget, value: valueArg.optional(), ttl: ttlArg.optional(), priority: priorityArg.optional(), dry_run: dryRunArg, confirm_token: confirmTokenArg, budget_token: budgetTokenArg }),
  output: writeOutput,
  hints: OVERWRITES,
  async handler(args, ctx) {
    const renames = args.record && (args.name !== undefined || args.record_type !== undefined);
    if (args.value === undefined && args.ttl === undefined && args.priority === undefined && !renames) {
      throw new ValidationError([{ field: 'value', rule: 'required', message: 'give at least one field to change: value, ttl or priority' }]);
    }
    return writeRecords(ctx, 'patch_record', args, async () => {
      const { zone, current, before, newName, notes } = await targetFor(ctx, recordTargetOf(args, args.match_value), { rename: args.name });
      const after = afterOf({ ...args, name: newName }, before, args.value ?? before.value, zone.domain);
      return { ...planned(zone, current, update(current, before, after, zone.domain)), notes: [...notes, ...(args.value ? notesFor(after, zone.domain, args.value) : [])] };
    });
  },
});

export const updateTtl = defineTool({
  name: 'update_ttl',
  title: 'Change a TTL',
  description:
    'Changes the TTL of a whole record set (zone + name + record_type: one set shares a TTL, RFC 2181), or of one record (`record`, or `value`). Lower it a day ahead of a planned change.',
  toolset: 'records',
  permission: 'dns:update',
  input: z.object({
    record: recordUuidArg.optional(),
    zone: zoneArg.optional(),
    name: nameArg.optional(),
    record_type: recordTypeArg.optional(),
    value: z.string().max(4096).optional().describe(SAY.PICK_VALUE),
    ttl: ttlArg,
    dry_run: dryRunArg,
    confirm_token: confirmTokenArg,
    budget_token: budgetTokenArg,
  }),
  output: writeOutput,
  hints: HINTS,
  handler: (args, ctx) =>
    writeRecords(ctx, 'update_ttl', args, async () => {
      const { zone, current, all } = await targetFor(ctx, recordTargetOf(args, args.value), { allowMany: !args.record && args.value === undefined });
      const uuids = new Set(all.map((r) => r.uuid));
      const changes = current.filter((r) => uuids.has(r.uuid)).flatMap((before) => update(current, before, { ...before, ttl: args.ttl }, zone.domain));
      return { ...planned(zone, current, changes), notes: [] };
    }),
});
