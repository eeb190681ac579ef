/** Which nameserver addresses check_propagation asks, and how the model's own servers are reported. */
import type { ToolContext } from './types.js';
import type { DnsRecord } from '../../api/types.js';
import { DEFAULT_NAMESERVERS, apexNsHosts, parseNameservers, resolveNameservers, withApexNameservers } from '../../dns/nameservers.js';
import type { ServerStatus } from '../../dns/index.js';
import { checkModelNameservers, collapseFailure, MODEL_DNS_QUERY_BUDGET, reachableAddresses } from '../../safety/reach.js';
import { callScope } from '../../callscope.js';

/**
 * The addresses to ask: the override, the setting or the provider's, plus the zone's own apex NS hosts.
 * An override is the model's: it passes the reach policy (safety/reach.ts) and its addresses are marked.
 */
export async function nameserverAddresses(ctx: ToolContext, override: string | undefined, records: DnsRecord[], domain: string) {
  const base = override ? parseNameservers(override) : ctx.config.nameservers ? parseNameservers(ctx.config.nameservers) : DEFAULT_NAMESERVERS;
  const extra = withApexNameservers(base, apexNsHosts(records, domain)).slice(base.length);
  if (!override) return { ...(await resolveNameservers([...base, ...extra])), model: new Set<string>() };
  checkModelNameservers(base, ctx.config);
  const scope = callScope();
  if (scope && !ctx.config.allowPrivateNameservers) scope.dnsLeft = Math.min(scope.dnsLeft, MODEL_DNS_QUERY_BUDGET);
  const [given, apex] = await Promise.all([resolveNameservers(base), resolveNameservers(extra)]);
  const reach = reachableAddresses(given.addresses, ctx.config);
  return {
    addresses: [...reach.addresses, ...apex.addresses],
    errors: [...given.errors, ...reach.errors, ...apex.errors],
    model: new Set(reach.addresses.map((a) => `${a.address}|${a.port}`)),
  };
}

/** Failures of the model's own servers read "unreachable" (see collapseFailure). */
export function collapsed<T extends { servers: ServerStatus[] }>(r: T, model: Set<string>): T {
  return model.size ? { ...r, servers: r.servers.map((s) => (model.has(`${s.address}|${s.port}`) ? collapseFailure(s) : s)) } : r;
}
