import * as z from 'zod';
import { defineTool, type ToolContext } from './types.js';
import { nameArg, recordTypeArg, zoneArg } from './schemas.js';
import { ValidationError } from '../errors.js';
import { isInZone, normaliseName } from '../domain/model.js';
import type { DnsRecord } from '../api/types.js';
import { DEFAULT_NAMESERVERS, apexNsHosts, parseNameservers } from '../dns/nameservers.js';
import * as dns from '../dns/index.js';
import type { NameserverAddress } from '../dns/index.js';
import { fit, omittedNote, pageOut } from './budget.js';

const serverOut = z.object({
  host: z.string(),
  address: z.string(),
  port: z.number(),
  status: z.enum(['in_sync', 'pending', 'error']),
  values: z.array(z.string()),
  ttl: z.number().nullable(),
  aa: z.boolean().nullable(),
  serial: z.number().nullable(),
  rttMs: z.number(),
  rcode: z.string().nullable(),
  detail: z.string(),
});
const setOut = z.object({
  zone: z.string(),
  name: z.string(),
  record_type: z.string(),
  expected: z.array(z.string()),
  propagated: z.boolean(),
  serials_agree: z.boolean(),
  servers: z.array(serverOut),
  rounds: z.number(),
  elapsed_ms: z.number(),
  max_ttl_seen: z.number().nullable(),
  negative_ttl: z.number().nullable(),
});

/** The addresses to ask: the override, the setting or the provider's, plus the zone's own apex NS hosts. */
export async function nameserverAddresses(ctx: ToolContext, override: string | undefined, records: DnsRecord[], domain: string) {
  const { resolveNameservers, withApexNameservers } = dns;
  const base = override ? parseNameservers(override) : ctx.config.nameservers ? parseNameservers(ctx.config.nameservers) : DEFAULT_NAMESERVERS;
  return resolveNameservers(withApexNameservers(base, apexNsHosts(records, domain)));
}

/** Record sets checked at once in whole-zone mode (each asks every nameserver); measured by `npm run bench`. */
export const ZONE_CHECK_CONCURRENCY = 16;

const unresolvedText = (errors: Array<{ host: string; error: string }>) => (errors.length ? `\nNot checked (no address): ${errors.map((e) => `${e.host}: ${e.error}`).join('; ')}` : '');

export const checkPropagationTool = defineTool({
  name: 'check_propagation',
  title: 'Check DNS propagation',
  description:
    "Asks each authoritative nameserver address directly (raw DNS, recursion off) whether it serves a record set as expected: per server in_sync / pending / error, values, TTL, SOA serial and round-trip time. Without `name`, checks every record set of the zone. `wait_seconds` polls until propagated (with progress) or the time is up. Use after a change to know when it is live.",
  toolset: 'propagation',
  permission: 'dns:list',
  input: z.object({
    zone: zoneArg,
    name: nameArg.optional().describe('The record name to check ("@", "www", or an FQDN). Leave out to check every record set of the zone.'),
    record_type: recordTypeArg.optional().describe('The record type to check; required with `name`.'),
    expected: z.array(z.string().max(4096)).max(100).optional().describe('The values that should be served (API format; MX/SRV may lead with the priority). Default: what the API holds now. [] means the name should not exist.'),
    nameservers: z.string().max(2000).optional().describe('Nameservers to ask instead of the configured ones: comma list of host, host:port, ip, ip:port or host=ip:port.'),
    wait_seconds: z.number().int().min(0).max(600).optional().describe('Poll every few seconds until every server is in sync, for at most this long (default 0: check once).'),
  }),
  output: z.object({
    zone: z.string(),
    mode: z.enum(['record_set', 'zone']),
    propagated: z.boolean(),
    serials_agree: z.boolean(),
    result: setOut.optional(),
    sets: z.array(setOut).optional().describe('Whole-zone mode: only the record sets NOT in sync (the first ones when there are many; sets_page says how many were left out).'),
    sets_page: pageOut.optional(),
    sets_in_sync: z.number().optional(),
    total_sets: z.number().optional(),
    unresolved: z.array(z.object({ host: z.string(), error: z.string() })),
  }),
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    if (args.name !== undefined && !args.record_type) {
      throw new ValidationError([{ field: 'record_type', rule: 'required', message: 'give record_type with name (or leave out name to check the whole zone)', example: 'A' }]);
    }
    const zone = await ctx.zones.resolve(args.zone);
    const records = (await ctx.api.listZoneRecords(zone.uuid)).items;
    const { checkPropagation, checkZonePropagation, recordSets, renderPropagation, renderZonePropagation } = dns;
    const { addresses, errors } = await nameserverAddresses(ctx, args.nameservers, records, zone.domain);
    const common = { nameservers: addresses as NameserverAddress[], signal: ctx.signal, ...(args.wait_seconds ? { waitSeconds: args.wait_seconds } : {}) };
    if (args.name !== undefined && args.record_type) {
      const name = normaliseName(args.name, zone.domain);
      // A name outside the zone would read another zone through the same nameservers, past VPSORG_ALLOWED_ZONES.
      if (!isInZone(name, zone.domain)) {
        throw new ValidationError([{ field: 'name', rule: 'in_zone', message: `must be at or below ${zone.domain} ("@", a relative name, or an FQDN ending in ${zone.domain})`, example: 'www' }]);
      }
      const type = args.record_type;
      const expected = args.expected ?? recordSets(records, zone.domain).find((s) => s.name === name && s.recordType === type)?.expected ?? [];
      const result = await checkPropagation({
        ...common,
        zone: zone.domain,
        name,
        recordType: type,
        expected,
        onProgress: (p) => ctx.progress({ progress: p.inSync, total: p.total, message: `round ${p.round}: ${p.inSync}/${p.total} nameservers in sync` }),
      });
      return {
        structured: { zone: zone.domain, mode: 'record_set' as const, propagated: result.propagated, serials_agree: result.serials_agree, result, unresolved: errors },
        text: renderPropagation(result) + unresolvedText(errors),
      };
    }
    const result = await checkZonePropagation({
      ...common,
      zone: zone.domain,
      concurrency: ZONE_CHECK_CONCURRENCY,
      recordSets: recordSets(records, zone.domain),
      onProgress: (p) => ctx.progress({ progress: p.setsInSync, total: p.totalSets, message: `round ${p.round}: ${p.setsInSync}/${p.totalSets} record sets in sync` }),
    });
    // Counts cover every set; detail only for the sets not in sync, as many as fit the result budget.
    const lagging = fit(result.sets.filter((s) => !s.propagated), { json: (s) => s, text: (s) => dns.laggingLines(s).join('\n') });
    const more = omittedNote(lagging.page, 'record sets not in sync', ['check one with name and record_type'], { cursor: false });
    return {
      structured: {
        zone: zone.domain,
        mode: 'zone' as const,
        propagated: result.propagated,
        serials_agree: result.serials_agree,
        sets: lagging.items,
        sets_page: lagging.page,
        sets_in_sync: result.sets_in_sync,
        total_sets: result.total_sets,
        unresolved: errors,
      },
      text: renderZonePropagation(result, lagging.items) + (more ? `\n${more}` : '') + unresolvedText(errors),
    };
  },
});
