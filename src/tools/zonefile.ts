import * as z from 'zod';
import { defineTool } from './types.js';
import { zoneArg, zoneOut, changeOut, planCountsOut, planRiskOut, specOut } from './schemas.js';
import { dataBlock } from './format.js';
import { toCurrent } from './changes.js';
import { computePlan, countsOf, riskOut } from './plan.js';
import { changeOutOf, specOutOf } from './output.js';
import { renderZoneFile, parseZoneFile } from '../domain/zonefile.js';
import { writtenName } from '../domain/names.js';
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
    'Returns the zone as a BIND zone file ($ORIGIN, $TTL, SOA, the provider\'s nameservers as apex NS, every record; long TXT split into quoted 255-byte strings). Use it for backups, reviews, or moving DNS elsewhere. Read-only.',
  toolset: 'zonefile',
  permission: 'dns:list',
  input: z.object({ zone: zoneArg }),
  output: z.object({ zone: zoneOut.pick({ uuid: true, domain: true }), record_count: z.number(), zone_file: z.string() }),
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ zone }, ctx) {
    const ref = await ctx.zones.resolve(zone);
    const records = (await ctx.api.listZoneRecords(ref.uuid)).items.map((r) => toCurrent(r, ref.domain));
    const text = renderZoneFile(ref.domain, records, { nameservers: providerNsNames(ctx.config) });
    return { structured: { zone: ref, record_count: records.length, zone_file: text }, text: `Zone file of ${ref.domain} (${records.length} records):\n${dataBlock(text.trimEnd().split('\n'))}` };
  },
});

export const importZoneFile = defineTool({
  name: 'import_zone_file',
  title: 'Plan an import of a BIND zone file',
  description:
    'Parses a BIND zone file ($ORIGIN, $TTL, relative and absolute names, parentheses, comments, quoted strings; $INCLUDE is refused) and returns the plan that would make the zone match it, as plan_zone does. Writes nothing: apply with apply_zone using the returned `records`. Records of types the provider does not support, and the SOA, are listed as skipped.',
  toolset: 'zonefile',
  permission: 'dns:list',
  input: z.object({
    zone: zoneArg,
    zone_file: z.string().min(1).max(2_000_000).describe('The zone file text.'),
    mode: z.enum(['sync', 'upsert']).default('upsert').describe('upsert (default): each (name, record_type) set in the file is made exactly so; sets not in the file are untouched. sync: records not in the file are deleted.'),
  }),
  output: z.object({
    zone: zoneOut.pick({ uuid: true, domain: true }),
    mode: z.enum(['sync', 'upsert']),
    records: z.array(specOut),
    skipped: z.array(z.object({ line: z.number(), name: z.string(), type: z.string(), reason: z.string() })),
    changes: z.array(changeOut),
    counts: planCountsOut,
    risk: planRiskOut,
    diff: z.string(),
  }),
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ zone, zone_file, mode }, ctx) {
    const ref = await ctx.zones.resolve(zone);
    const parsed = parseZoneFile(zone_file, ref.domain);
    if (parsed.problems.length) throw new ValidationError(parsed.problems, 'The zone file has problems');
    // Names the owner-name rules would question (mail.eu) go back in full, so apply_zone takes `records` as they are.
    const records = parsed.records.map((r) => ({ ...specOutOf(r), name: writtenName(r.name, ref.domain) }));
    const plan = await computePlan(ctx, ref.uuid, records, mode, { names: 'canonical' });
    const c = countsOf(plan);
    const lines = [`Import into ${ref.domain} (${mode}): ${records.length} records read, ${parsed.skipped.length} skipped; ${c.creates} to create, ${c.updates} to update, ${c.deletes} to delete, ${c.unchanged} unchanged.`];
    if (plan.changes.length) lines.push(dataBlock(plan.diff.split('\n')));
    if (parsed.skipped.length) lines.push(`Skipped:\n${dataBlock(parsed.skipped.map((s) => `line ${s.line}: ${s.name} ${s.type}: ${s.reason}`))}`);
    lines.push('Nothing was written. To apply, call apply_zone with this zone, mode and the returned `records`.');
    return {
      structured: { zone: ref, mode, records, skipped: parsed.skipped, changes: plan.changes.map(changeOutOf), counts: c, risk: riskOut(plan.risk), diff: plan.diff },
      text: lines.join('\n'),
    };
  },
});
