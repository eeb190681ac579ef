import * as z from 'zod';
import { defineTool } from '../kit/types.js';
import { zoneArg } from '../kit/schemas.js';
import { apexNsHosts, givenAddresses, parseNameservers } from '../../dns/nameservers.js';
import { checkDelegation, renderDelegation } from '../../dns/index.js';
import { providerNsNames } from './zonefile.js';
import { zoneHostAllowed } from '../../safety/reach.js';
import { previewAddress, previewOf } from '../kit/preview.js';

const serverOut = z.object({
  host: z.string(),
  address: z.string().nullable(),
  port: z.number().nullable(),
  status: z.enum(['ok', 'lame', 'unreachable', 'unresolved']),
  aa: z.boolean().nullable(),
  rcode: z.string().nullable(),
  serial: z.number().nullable(),
  rttMs: z.number().nullable(),
  detail: z.string(),
});

const addresses = (list: string) => givenAddresses(parseNameservers(list));

export const checkDelegationTool = defineTool({
  name: 'check_delegation',
  title: 'Check the zone is delegated to the provider',
  description:
    "Walks DNS from the root to the zone's parent and compares the parent's NS set for the zone with the provider's nameservers and the NS set they serve at the apex; reports mismatches and lame servers, and what to do first. Use when a zone was just created or moved, or nothing resolves.",
  toolset: 'propagation',
  permission: 'dns:list',
  input: z.object({ zone: zoneArg, preview: z.string().max(64).optional().describe('A preview id (plan_zone): as if the planned zone were live.') }),
  output: z.object({
    zone: z.string(),
    ok: z.boolean(),
    delegated: z.boolean(),
    parent_zone: z.string().nullable(),
    parent_ns: z.array(z.string()),
    expected_ns: z.array(z.string()),
    apex_ns: z.array(z.string()).describe('The apex NS records the API lists (a zone just created has none).'),
    served_ns: z.array(z.string()).describe("The NS set the provider's nameservers actually serve at the apex: what the verdict compares."),
    missing_at_parent: z.array(z.string()),
    extra_at_parent: z.array(z.string()),
    servers: z.array(serverOut),
    lame: z.array(z.string()).describe("Listed servers that are not the provider's and do not serve the zone."),
    not_loaded: z.array(z.string()).describe("The provider's own nameservers that have not loaded the zone yet (its publish delay): wait, do not remove them."),
    problems: z.array(z.string()),
    next_step: z.string().optional().describe('When the verdict is not OK: what to do first.'),
    notes: z.array(z.string()),
  }),
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ zone, preview }, ctx) {
    const ref = await ctx.zones.resolve(zone);
    const pv = preview === undefined ? undefined : previewOf(ctx, preview, ref);
    const records = pv ? pv.data.records : (await ctx.api.listZoneRecords(ref.uuid)).items;
    const apexNs = apexNsHosts(records, ref.domain);
    const cfg = ctx.config;
    // With a preview, the provider's nameservers are its loopback server: the parent is asked as it is now.
    const at = pv ? await previewAddress(ctx, pv) : undefined;
    const hosts = at ? providerNsNames(cfg).map((host) => ({ host, address: at.address, port: at.port })) : cfg.nameservers ? parseNameservers(cfg.nameservers) : undefined;
    const resolver = cfg.dnsResolver ? addresses(cfg.dnsResolver)[0] : undefined;
    const r = await checkDelegation({
      zone: ref.domain,
      expectedNameservers: providerNsNames(cfg),
      apexNs,
      ...(cfg.dnsRoots ? { roots: addresses(cfg.dnsRoots) } : {}),
      ...(resolver ? { resolver: { address: resolver.address, port: resolver.port } } : {}),
      ...(hosts ? { hosts } : {}),
      signal: ctx.signal,
      mayAsk: zoneHostAllowed(cfg),
    });
    const { zone: z0, ok, delegated, parent_zone, parent_ns, expected_ns, apex_ns, served_ns, missing_at_parent, extra_at_parent, servers, lame, not_loaded, problems, next_step, notes } = r;
    return {
      structured: { zone: z0, ok, delegated, parent_zone, parent_ns, expected_ns, apex_ns, served_ns, missing_at_parent, extra_at_parent, servers, lame, not_loaded, problems, ...(next_step ? { next_step } : {}), notes },
      text: (pv ? `Preview ${pv.id}: the provider's nameservers answer as the planned zone (${at?.address}:${at?.port}).\n` : '') + renderDelegation(r),
    };
  },
});
