import * as z from 'zod';
import { defineTool } from '../kit/types.js';
import * as SAY from '../kit/texts.js';
import { zoneArg } from '../kit/schemas.js';
import { canonicalDomain } from '../kit/resolve.js';
import { dataBlock } from '../kit/format.js';
import { listChanges, listText, MAX_LIMIT } from '../../history/listing.js';
import { requireScope } from '../../safety/scopes.js';

const changeItem = z.object({
  change_id: z.string(),
  time: z.string(),
  tool: z.string(),
  zone: z.string(),
  summary: z.string(),
  records: z.array(z.object({ action: z.enum(['create', 'update', 'delete']), name: z.string(), record_type: z.string(), count: z.number() })).describe('The records it touched (first 10 groups).'),
  more_records: z.number().optional(),
  undone: z.boolean(),
  undone_by: z.string().optional(),
  undoes: z.string().optional(),
  client: z.string().optional(),
  actor: z.string().optional().describe('Who asked.'),
  approved_by: z.string().optional().describe('The second person who approved.'),
  unverifiable: z.string().optional(),
  status: z.enum(['unknown']).optional().describe('unknown: cut off mid-write (server stopped, answer lost), outcome not recorded; check the zone. undo_change refuses it.'),
  asked: z.string().optional().describe('What such a write asked for.'),
});

export const listChangesTool = defineTool({
  name: 'list_changes',
  title: 'List recent changes',
  description:
    "The changes this server applied, newest first, from its journal: change_id (for undo_change), time, tool, zone, summary, the records touched, undone, unverifiable (why undo_change would refuse it); and whether the journal's hash chain is intact.",
  toolset: 'history',
  essential: true,
  input: z.strictObject({
    zone: zoneArg.optional().describe('Only this zone.'),
    limit: z.number().int().min(1).max(MAX_LIMIT).optional().describe('Default 20.'),
    cursor: z.string().max(100).optional().describe(SAY.CURSOR),
    who: z.enum(['own', 'all']).optional().describe('own: changes you asked for (signed-in callers default to it); all: everyone\'s (signed in, needs dns.approve).'),
  }),
  output: z.object({
    journal: z.object({ dir: z.string().nullable(), entries: z.number(), chain: z.enum(['ok', 'broken', 'unavailable']), problems: z.array(z.string()), ignored_lines: z.array(z.number()) }),
    changes: z.array(changeItem),
    next_cursor: z.string().optional(),
  }),
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args, ctx) {
    if (args.zone !== undefined && args.zone.includes('.')) ctx.zones.assertAllowed(args.zone);
    const want = args.zone?.trim();
    // A signed-in caller sees its own changes unless it may approve others'; without sign-in there is one caller.
    const signedIn = ctx.caller?.scopes != null;
    const who = args.who ?? (signedIn ? 'own' : 'all');
    if (who === 'all' && signedIn) requireScope(ctx.caller, 'dns.approve');
    const list = await listChanges(ctx.config, {
      allowed: ctx.config.allowedZones,
      ...(want !== undefined ? { zone: { domain: canonicalDomain(want), uuid: want } } : {}),
      ...(args.limit !== undefined ? { limit: args.limit } : {}),
      ...(args.cursor !== undefined ? { cursor: args.cursor } : {}),
      ...(who === 'own' && ctx.caller ? { by: ctx.caller.actor } : {}),
    });
    // Summaries hold zone names the provider stored: kept in a data block like every provider text.
    const [head, ...rest] = listText(list).split('\n');
    return { structured: list, text: [head, dataBlock(rest)].join('\n') };
  },
});
