import * as z from 'zod';
import * as SAY from '../kit/texts.js';
import { defineTool } from '../kit/types.js';
import { zoneArg, zoneOut, changeOut, planCountsOut, planRiskOut, specOut, warningsOut } from '../kit/schemas.js';
import { dataBlock, warningsText } from '../kit/format.js';
import { LIST_JSON, fit, omittedNote, pageArgs, pageOut, parseCursor, type Page } from '../kit/budget.js';
import { reshapedWarnings } from '../../domain/txt-cuts.js';
import { zoneResourceUri } from '../../resources/kinds.js';
import { toCurrent } from '../kit/changes.js';
import { computePlan, countsOf, planView, riskOut } from '../kit/plan.js';
import { specOutOf } from '../kit/output.js';
import { renderZoneFile } from '../../domain/zonefile.js';
import { ambiguousApiName } from '../../domain/names.js';
import { keepApexNsArg, zoneFileArg, zoneFileDesire } from '../kit/zone-file-input.js';
import { writtenNames } from '../kit/owner-names.js';
import type { Config } from '../../config.js';
import type { VpsApi } from '../../api/types.js';
import type { ZoneRef } from '../kit/resolve.js';
import { providerNsNames, zoneSoa } from '../../dns/zone-soa.js';

export { providerNsNames } from '../../dns/zone-soa.js';



/**
 * The zone file export_zone_file and the zonefile resource give: the live records (one whose name
 * reads two ways as a comment, issue 17.3) and the SOA the nameservers serve.
 */
export async function zoneFileOf(api: VpsApi, config: Pick<Config, 'nameservers'>, ref: ZoneRef, signal?: AbortSignal): Promise<{ text: string; recordCount: number }> {
  const live = (await api.listZoneRecords(ref.uuid)).items;
  const ambiguous = live.filter((r) => ambiguousApiName(r.name, ref.domain) !== null);
  const records = live.filter((r) => !ambiguous.includes(r)).map((r) => toCurrent(r, ref.domain));
  const comments = ambiguous.map((r) => `not exported, its name is ambiguous (${ambiguousApiName(r.name, ref.domain) ?? ''} or the name written in full): ${r.name} ${r.ttl} IN ${r.record_type} ${r.priority ?? ''} ${r.value} (#${r.uuid.slice(0, 8)})`.replace(/  +/g, ' '));
  const soa = await zoneSoa(config, ref.domain, signal);
  return { text: renderZoneFile(ref.domain, records, { nameservers: providerNsNames(config), comments, ...soa }), recordCount: records.length };
}

export const exportZoneFile = defineTool({
  name: 'export_zone_file',
  title: 'Export a zone as a BIND zone file',
  description:
    "The zone as a BIND zone file (SOA as served, the provider's apex NS, every record), for backups or moving DNS. A large file comes in parts of whole lines (page.next_cursor continues).",
  toolset: 'zonefile',
  permission: 'dns:list',
  input: z.object({ zone: zoneArg, ...pageArgs }),
  output: z.object({ zone: zoneOut.pick({ uuid: true, domain: true }), record_count: z.number(), zone_file: z.string().describe('The zone file, or the part of its lines that `page` says.'), page: pageOut }),
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ zone, ...paging }, ctx) {
    const ref = await ctx.zones.resolve(zone);
    const file = await zoneFileOf(ctx.api, ctx.config, ref, ctx.signal);
    const lines = file.text.trimEnd().split('\n');
    const { items, page } = fit(lines, { ...paging, text: (l) => l, json: (l) => l });
    const zoneFile = `${items.join('\n')}\n`;
    const more = omittedNote(page, 'lines', [`read the resource ${zoneResourceUri('zonefile', ref.domain)} (the whole file)`]);
    return {
      structured: { zone: ref, record_count: file.recordCount, zone_file: zoneFile, page },
      text: [`Zone file of ${ref.domain} (${file.recordCount} records, ${lines.length} lines):`, dataBlock(items), ...(more ? [more] : [])].join('\n'),
    };
  },
});

type Spec = ReturnType<typeof specOutOf>;

/**
 * The records of a large import in parts that never split a (name, type) set: each part is applied
 * with apply_zone in upsert mode, where a set given is the whole desired set, so a set cut in two
 * would have its second part delete what the first created. Sets are kept together (in the order
 * they first appear) and a part holds whole sets; the cursor is the index of a set's first record.
 */
export function setPages(records: readonly Spec[], paging: { limit?: number | undefined; cursor?: string | undefined }): { items: Spec[]; page: Page } {
  const sets = new Map<string, Spec[]>();
  for (const r of records) {
    const key = `${r.name}|${r.record_type}`;
    sets.set(key, [...(sets.get(key) ?? []), r]);
  }
  const groups = [...sets.values()];
  const starts: number[] = [];
  groups.reduce((n, g) => (starts.push(n), n + g.length), 0);
  const at = parseCursor(paging.cursor);
  let first = starts.findIndex((s, i) => at < s + (groups[i]?.length ?? 0));
  if (first < 0) first = groups.length;
  const fitted = fit(groups, { cursor: String(first), json: (g) => g, jsonBytes: LIST_JSON / 4 }).items;
  const taken: Spec[][] = [];
  for (const g of fitted) {
    if (taken.length && paging.limit !== undefined && taken.flat().length + g.length > paging.limit) break;
    taken.push(g);
  }
  const items = taken.flat();
  const offset = starts[first] ?? records.length;
  const next = offset + items.length;
  return { items, page: { total: records.length, offset, returned: items.length, omitted: records.length - next, ...(next < records.length ? { next_cursor: String(next) } : {}) } };
}

export const importZoneFile = defineTool({
  name: 'import_zone_file',
  title: 'Plan an import of a BIND zone file',
  description:
    'Parses a BIND zone file ($INCLUDE refused; the SOA and unsupported types are listed as skipped) and returns the plan to make the zone match it, as plan_zone does. Writes nothing: apply with apply_zone and the same zone_file. `records` are in the tools\' input form (a TXT value beginning with " is zone-file quoting). An owner ending in the zone name without a final dot is refused.',
  toolset: 'zonefile',
  permission: 'dns:list',
  input: z.object({
    zone: zoneArg,
    zone_file: zoneFileArg.describe('The zone file text.'),
    mode: z.enum(['sync', 'upsert']).default('upsert').describe(SAY.MODE),
    keep_apex_ns: keepApexNsArg,
    ...pageArgs,
  }),
  output: z.object({
    zone: zoneOut.pick({ uuid: true, domain: true }),
    mode: z.enum(['sync', 'upsert']),
    notes: z.array(z.string()),
    records: z.array(specOut),
    records_page: pageOut,
    skipped: z.array(z.object({ line: z.number(), name: z.string(), type: z.string(), reason: z.string() })),
    skipped_count: z.number(),
    changes: z.array(changeOut),
    changes_page: pageOut,
    counts: planCountsOut,
    risk: planRiskOut,
    diff: z.string(),
    warnings: warningsOut,
  }),
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ zone, zone_file, mode, keep_apex_ns, ...paging }, ctx) {
    const ref = await ctx.zones.resolve(zone);
    const desire = zoneFileDesire(zone_file, ref, ctx.config, keep_apex_ns);
    const parsed = desire.parsed;
    const plan = await computePlan(ctx, ref.uuid, desire.records, mode, { names: 'canonical' });
    // Handed back for apply_zone, which reads names as agents write them: one that rule would question
    // (www.example.org, or a3-6.tld2 beside a zone tld2 of the account) goes back in full.
    const written = await writtenNames(ctx.zones, ref, desire.records.map((r) => r.name));
    const records = desire.records.map((r, i) => ({ ...r, name: written[i] as string }));
    const c = countsOf(plan);
    const view = planView(plan);
    const part = setPages(records, paging);
    const skipLine = (s: { line: number; name: string; type: string; reason: string }) => `line ${s.line}: ${s.name} ${s.type}: ${s.reason}`;
    const skipped = fit(parsed.skipped, { text: skipLine, json: (s) => s, textBytes: 2000, jsonBytes: LIST_JSON / 8 });
    const warnings = [...reshapedWarnings(parsed.reshaped), ...plan.warnings];
    const lines = [`Import into ${ref.domain} (${mode}): ${records.length} records read, ${parsed.skipped.length} skipped; ${c.creates} to create, ${c.updates} to update, ${c.deletes} to delete, ${c.unchanged} unchanged.`];
    if (plan.changes.length) lines.push(dataBlock(view.diff.split('\n')));
    if (view.note) lines.push(view.note);
    if (warnings.length) lines.push(warningsText(warnings).slice(1));
    if (desire.notes.length) lines.push(...desire.notes);
    if (parsed.skipped.length) lines.push(`Skipped:\n${dataBlock(skipped.items.map(skipLine))}`, omittedNote(skipped.page, 'skipped lines', [], { cursor: false }));
    const { offset, returned, next_cursor: next } = part.page;
    const whole = !offset && !next;
    const more = whole ? ' (or the returned `records`)' : ` (\`records\` holds ${offset + 1}-${offset + returned} of ${records.length}${next ? `; cursor "${next}" continues` : ''})`;
    lines.push(`Nothing was written. To apply, call apply_zone with this zone, mode and zone_file${more}.`);
    return {
      structured: {
        zone: ref, mode, notes: desire.notes, records: part.items, records_page: part.page, skipped: skipped.items, skipped_count: parsed.skipped.length,
        changes: view.changes, changes_page: view.changes_page, counts: c, risk: riskOut(plan.risk), diff: view.diff, warnings,
      },
      text: lines.filter(Boolean).join('\n'),
    };
  },
});
