import * as z from 'zod';
import { defineTool } from '../kit/types.js';
import { dataBlock, recordsPage, recordsPageText, truncatedNote, zoneLine } from '../kit/format.js';
import { fit, omittedNote, pageArgs, pageOut } from '../kit/budget.js';
import { zoneResourceUri } from '../../resources/kinds.js';
import { planRiskOut, recordOut, zoneArg, zoneOut, dryRunArg } from '../kit/schemas.js';
import { recordOutOf, zoneOutOf } from '../kit/output.js';
import { canonicalDomain, zoneAllowed, zoneNamed } from '../kit/resolve.js';
import { UserError, ValidationError } from '../../errors.js';
import { riskOut } from '../kit/plan.js';
import { gateOut } from '../../safety/gate.js';
import { runCreateZone } from '../../safety/zone-create.js';
import { providerNsNames } from '../../dns/zone-soa.js';

export const listZones = defineTool({
  name: 'list_zones',
  title: 'List DNS zones',
  description: 'Lists the zones of the account (domain, record count, uuid).',
  toolset: 'zones',
  essential: true,
  permission: 'dns:list',
  input: z.object({ domain: z.string().max(253).optional().describe('Only this exact domain.'), ...pageArgs }),
  output: z.object({ zones: z.array(zoneOut), truncated: z.boolean(), page: pageOut }),
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ domain, ...paging }, ctx) {
    if (domain !== undefined) ctx.zones.assertAllowed(domain);
    const res = await ctx.api.listZones(domain !== undefined ? { domain: canonicalDomain(domain) } : {});
    const all = res.items.filter((zn) => zoneAllowed(zn.domain, ctx.config.allowedZones)).map(zoneOutOf);
    const { items: zones, page } = fit(all, { ...paging, text: zoneLine, json: (zn) => zn });
    const note = truncatedNote(res.truncated);
    const head = `${all.length} zone${all.length === 1 ? '' : 's'}${note ? ` (${note})` : ''}`;
    const more = omittedNote(page, 'zones', ['look one up with domain']);
    // A zone the provider lists in a broken shape is left out, not allowed to fail the whole list (issue 21.12).
    const bad = res.skipped ?? [];
    const left = bad.length ? [`${bad.length} zone${bad.length === 1 ? '' : 's'} of VPS.org's listing left out, not in the documented shape:`, dataBlock(bad.slice(0, 5))] : [];
    return { structured: { zones, truncated: res.truncated, page }, text: [head, ...(zones.length ? [dataBlock(zones.map(zoneLine))] : []), ...(more ? [more] : []), ...left].join('\n') };
  },
});

export const getZone = defineTool({
  name: 'get_zone',
  title: 'Get a DNS zone',
  description:
    'One zone with its records, as a zone-file-like table (in parts: page.next_cursor continues).',
  toolset: 'zones',
  permission: 'dns:list',
  input: z.object({ zone: zoneArg, ...pageArgs }),
  output: zoneOut.extend({ records: z.array(recordOut), page: pageOut }),
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ zone, ...paging }, ctx) {
    const ref = await ctx.zones.resolve(zone);
    const detail = await ctx.api.getZone(ref.uuid);
    const { items, page } = recordsPage(detail.records ?? [], paging);
    const ways = ['filter with list_records (name, record_type)', `read the resource ${zoneResourceUri('records', ref.domain)}`];
    return { structured: { ...zoneOutOf(detail), records: items.map(recordOutOf), page }, text: recordsPageText(`Zone ${ref.domain} (${ref.uuid})`, items, page, ways) };
  },
});

/** What the gate adds to a zone creation's result: no snapshot (nothing is removed), no budget, and never a token (only a person is asked). */
const GATE_FIELDS = { confirmation: gateOut.confirmation.optional(), missing_permissions: gateOut.missing_permissions, expires_at: gateOut.expires_at };

const DOMAIN_RE = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;

export const createZone = defineTool({
  name: 'create_zone',
  title: 'Create a DNS zone',
  description:
    "Creates an empty zone, served by the provider's nameservers at once; it takes effect once the registrar delegates the domain to them (check_delegation tells).",
  toolset: 'zones',
  permission: 'dns:create',
  input: z.object({
    domain: z.string().min(1).max(253).describe('The domain for the new zone, e.g. example.com (no scheme, no trailing path).'),
    dry_run: dryRunArg,
  }),
  output: z.object({ dry_run: z.boolean(), applied: z.boolean(), zone: zoneOut.partial({ uuid: true }), risk: planRiskOut, ...GATE_FIELDS }),
  hints: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler(args, ctx) {
    const d = canonicalDomain(args.domain);
    if (!DOMAIN_RE.test(d)) {
      throw new ValidationError([{ field: 'domain', rule: 'domain_syntax', message: 'must be a domain name of at least two labels of letters, digits and hyphens', example: 'example.com' }]);
    }
    ctx.zones.assertAllowed(d);
    // Through the write gate like every write (src/safety/zone-create.ts): held where the settings say.
    return runCreateZone(ctx, {
      op: 'create_zone',
      args,
      domain: d,
      nameservers: providerNsNames(ctx.config),
      async check() {
        const { items } = await ctx.api.listZones({ domain: d });
        if (zoneNamed(items, d)) throw new UserError(`The zone ${d} exists already. Nothing was created.`, { code: 'exists', field: 'domain', hint: 'Use get_zone to read it.' });
      },
      preview: (effect, kind) => ({
        structured: { dry_run: args.dry_run === true, applied: false, zone: { domain: d }, risk: riskOut(effect) },
        text: kind === 'dry_run' ? `Dry run: would create the zone ${d} (empty). Nothing was sent.` : `Would create the zone ${d} (empty); nothing was sent yet. Needs confirmation: ${effect.reasons.join('; ')}.`,
      }),
      async apply(effect) {
        const created = await ctx.api.createZone(d);
        return { structured: { dry_run: false, applied: true, zone: zoneOutOf(created), risk: riskOut(effect) }, text: `Created zone ${created.domain} (${created.uuid}).` };
      },
    });
  },
});
