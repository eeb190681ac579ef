import * as z from 'zod';
import { defineTool } from './types.js';
import { zoneArg, zoneOut, changeOut, planCountsOut, planRiskOut, specOut, warningsOut } from './schemas.js';
import { dataBlock, warningsText } from './format.js';
import { LIST_JSON, fit, omittedNote, pageArgs, pageOut } from './budget.js';
import { zoneResourceUri } from '../resources/kinds.js';
import { toCurrent } from './changes.js';
import { computePlan, countsOf, planView, riskOut } from './plan.js';
import { specOutOf } from './output.js';
import { renderZoneFile, parseZoneFile } from '../domain/zonefile.js';
import { writtenName } from '../domain/names.js';
import { handOffValue } from '../domain/values.js';
import { ValidationError } from '../errors.js';
import { DEFAULT_NAMESERVERS, parseNameservers } from '../dns/nameservers.js';
import type { Config } from '../config.js';
import { isIP } from 'node:net';

/** The nameserver hostnames the provider serves the zone from (addresses in the setting are not names). */
export function providerNsNames(config: Pick<Config, 'nameservers'>): string[] {
  const specs = config.nameservers ? parseNameservers(config.nameservers) : DEFAULT_NAMESERVERS;
  const names = specs.map((s) => s.host).filter((h) => isIP(h) === 0);
  return (names.length ? names : DEFAULT_NAMESERVERS.map((s) => s.host)).map((h) => (h.endsWith('.') ? h : `${h}.`));
}

export const exportZoneFile = defineTool({
  name: 'export_zone_file',
  title: 'Export a zone as a BIND zone file',
  description:
    'Returns the zone as a BIND zone file ($ORIGIN, $TTL, SOA, the provider\'s nameservers as apex NS, every record; long TXT split into quoted 255-byte strings). Use it for backups, reviews, or moving DNS elsewhere. A large zone file comes in parts of whole lines that fit the result budget (`page` counts lines; `page.next_cursor` continues); the resource vpsorg://zones/{domain}/zonefile has it whole. Read-only.',
  toolset: 'zonefile',
  permission: 'dns:list',
  input: z.object({ zone: zoneArg, ...pageArgs }),
  output: z.object({ zone: zoneOut.pick({ uuid: true, domain: true }), record_count: z.number(), zone_file: z.string().describe('The zone file, or the part of its lines that `page` says.'), page: pageOut }),
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ zone, ...paging }, ctx) {
    const ref = await ctx.zones.resolve(zone);
    const records = (await ctx.api.listZoneRecords(ref.uuid)).items.map((r) => toCurrent(r, ref.domain));
    const lines = renderZoneFile(ref.domain, records, { nameservers: providerNsNames(ctx.config) }).trimEnd().split('\n');
    const { items, page } = fit(lines, { ...paging, text: (l) => l, json: (l) => l });
    const zoneFile = `${items.join('\n')}\n`;
    const more = omittedNote(page, 'lines', [`read the resource ${zoneResourceUri('zonefile', ref.domain)} (the whole file)`]);
    return {
      structured: { zone: ref, record_count: records.length, zone_file: zoneFile, page },
      text: [`Zone file of ${ref.domain} (${records.length} records, ${lines.length} lines):`, dataBlock(items), ...(more ? [more] : [])].join('\n'),
    };
  },
});

export const importZoneFile = defineTool({
  name: 'import_zone_file',
  title: 'Plan an import of a BIND zone file',
  description:
    'Parses a BIND zone file ($ORIGIN, $TTL, relative and absolute names, parentheses, comments, quoted strings; $INCLUDE is refused) and returns the plan that would make the zone match it, as plan_zone does. Writes nothing: apply with apply_zone using the returned `records`. Records of types the provider does not support, and the SOA, are listed as skipped. A large file\'s `records` come in parts that fit the result budget (`records_page.next_cursor` continues): apply each part with apply_zone in upsert mode.',
  toolset: 'zonefile',
  permission: 'dns:list',
  input: z.object({
    zone: zoneArg,
    zone_file: z.string().min(1).max(2_000_000).describe('The zone file text.'),
    mode: z.enum(['sync', 'upsert']).default('upsert').describe('upsert (default): each (name, record_type) set in the file is made exactly so; sets not in the file are untouched. sync: records not in the file are deleted.'),
    ...pageArgs,
  }),
  output: z.object({
    zone: zoneOut.pick({ uuid: true, domain: true }),
    mode: z.enum(['sync', 'upsert']),
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
  async handler({ zone, zone_file, mode, ...paging }, ctx) {
    const ref = await ctx.zones.resolve(zone);
    const parsed = parseZoneFile(zone_file, ref.domain);
    if (parsed.problems.length) throw new ValidationError(parsed.problems, 'The zone file has problems');
    // Handed back for apply_zone, which reads TXT quoting once (text that could be read so is quoted) and
    // reads names as agents write them (a name that rule would question, mail.eu, goes back in full).
    const records = parsed.records.map((r) => ({ ...specOutOf(r), name: writtenName(r.name, ref.domain), value: handOffValue(r.record_type, r.value) }));
    const plan = await computePlan(ctx, ref.uuid, records, mode, { names: 'canonical' });
    const c = countsOf(plan);
    const view = planView(plan);
    const part = fit(records, { ...paging, json: (r) => r, jsonBytes: LIST_JSON / 4 });
    const skipLine = (s: { line: number; name: string; type: string; reason: string }) => `line ${s.line}: ${s.name} ${s.type}: ${s.reason}`;
    const skipped = fit(parsed.skipped, { text: skipLine, json: (s) => s, textBytes: 2000, jsonBytes: LIST_JSON / 8 });
    const lines = [`Import into ${ref.domain} (${mode}): ${records.length} records read, ${parsed.skipped.length} skipped; ${c.creates} to create, ${c.updates} to update, ${c.deletes} to delete, ${c.unchanged} unchanged.`];
    if (plan.changes.length) lines.push(dataBlock(view.diff.split('\n')));
    if (view.note) lines.push(view.note);
    if (plan.warnings.length) lines.push(warningsText(plan.warnings).slice(1));
    if (parsed.skipped.length) lines.push(`Skipped:\n${dataBlock(skipped.items.map(skipLine))}`, omittedNote(skipped.page, 'skipped lines', [], { cursor: false }));
    lines.push(
      part.page.omitted || part.page.offset
        ? `Nothing was written. \`records\` holds records ${part.page.offset + 1}-${part.page.offset + part.page.returned} of ${records.length}: apply each part with apply_zone (mode upsert; sync with a part would delete the rest)${part.page.next_cursor ? `, then call again with cursor "${part.page.next_cursor}" for the next part` : ''}.`
        : 'Nothing was written. To apply, call apply_zone with this zone, mode and the returned `records`.',
    );
    return {
      structured: {
        zone: ref, mode, records: part.items, records_page: part.page, skipped: skipped.items, skipped_count: parsed.skipped.length,
        changes: view.changes, changes_page: view.changes_page, counts: c, risk: riskOut(plan.risk), diff: view.diff, warnings: plan.warnings,
      },
      text: lines.filter(Boolean).join('\n'),
    };
  },
});
