import * as z from 'zod';
import { defineTool } from './types.js';
import { dataBlock, recordsText, truncatedNote, zoneLine } from './format.js';
import { recordOut, zoneArg, zoneOut, dryRunArg } from './schemas.js';
import { recordOutOf, zoneOutOf } from './output.js';
import { canonicalDomain, zoneAllowed } from './resolve.js';
import { ValidationError } from '../errors.js';

export const listZones = defineTool({
  name: 'list_zones',
  title: 'List DNS zones',
  description: 'Lists the DNS zones of the account (domain, record count, uuid). Optional exact `domain` filter. Use get_zone or list_records to see records.',
  toolset: 'zones',
  permission: 'dns:list',
  input: z.object({ domain: z.string().max(253).optional().describe('Exact domain to look for, e.g. example.com. Leave out to list every zone.') }),
  output: z.object({ zones: z.array(zoneOut), truncated: z.boolean() }),
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ domain }, ctx) {
    if (domain !== undefined) ctx.zones.assertAllowed(domain);
    const res = await ctx.api.listZones(domain !== undefined ? { domain: canonicalDomain(domain) } : {});
    const zones = res.items.filter((zn) => zoneAllowed(zn.domain, ctx.config.allowedZones)).map(zoneOutOf);
    const note = truncatedNote(res.truncated);
    const head = `${zones.length} zone${zones.length === 1 ? '' : 's'}${note ? ` (${note})` : ''}`;
    return { structured: { zones, truncated: res.truncated }, text: zones.length ? `${head}\n${dataBlock(zones.map(zoneLine))}` : head };
  },
});

export const getZone = defineTool({
  name: 'get_zone',
  title: 'Get a DNS zone',
  description: 'Shows one zone with all its records, as a zone-file-like table. `zone` is the domain or the zone uuid.',
  toolset: 'zones',
  permission: 'dns:list',
  input: z.object({ zone: zoneArg }),
  output: zoneOut.extend({ records: z.array(recordOut) }),
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ zone }, ctx) {
    const ref = await ctx.zones.resolve(zone);
    const detail = await ctx.api.getZone(ref.uuid);
    const records = (detail.records ?? []).map(recordOutOf);
    return { structured: { ...zoneOutOf(detail), records }, text: recordsText(`Zone ${ref.domain} (${ref.uuid})`, detail.records ?? []) };
  },
});

const DOMAIN_RE = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;

export const createZone = defineTool({
  name: 'create_zone',
  title: 'Create a DNS zone',
  description:
    'Creates a new, empty DNS zone for a domain; the provider deploys it to its nameservers at once. Point the domain\'s NS records at the registrar to the provider\'s nameservers for it to take effect (check_delegation tells). dry_run: true shows what would happen and creates nothing.',
  toolset: 'zones',
  permission: 'dns:create',
  input: z.object({
    domain: z.string().min(1).max(253).describe('The domain for the new zone, e.g. example.com (no scheme, no trailing path).'),
    dry_run: dryRunArg,
  }),
  output: z.object({ dry_run: z.boolean(), applied: z.boolean(), zone: zoneOut.partial({ uuid: true }) }),
  hints: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ domain, dry_run }, ctx) {
    const d = canonicalDomain(domain);
    if (!DOMAIN_RE.test(d)) {
      throw new ValidationError([{ field: 'domain', rule: 'domain_syntax', message: 'must be a domain name of at least two labels of letters, digits and hyphens', example: 'example.com' }]);
    }
    ctx.zones.assertAllowed(d);
    if (dry_run) return { structured: { dry_run: true, applied: false, zone: { domain: d } }, text: `Dry run: would create the zone ${d} (empty). Nothing was sent.` };
    const created = await ctx.api.createZone(d);
    return { structured: { dry_run: false, applied: true, zone: zoneOutOf(created) }, text: `Created zone ${created.domain} (${created.uuid}).` };
  },
});
