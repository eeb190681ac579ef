/** Which nameserver addresses check_propagation asks, and how the model's own servers are reported. */
import type { ToolContext } from './types.js';
import type { DnsRecord } from '../../api/types.js';
import { DEFAULT_NAMESERVERS, apexNsHosts, parseNameservers, resolveNameservers, withApexNameservers } from '../../dns/nameservers.js';
import type { ServerStatus } from '../../dns/index.js';
import { checkModelNameservers, collapseFailure, MODEL_DNS_QUERY_BUDGET, reachableAddresses } from '../../safety/reach.js';
import { callScope } from '../../callscope.js';

const key = (a: { address: string; port: number }) => `${a.address}|${a.port}`;

/**
 * The addresses to ask: the override, the setting or the provider's, plus the zone's own apex NS hosts.
 * An override is the model's and the apex NS hosts are zone data (anyone who edits the zone writes
 * them): both pass the reach policy (safety/reach.ts), and their failures read "unreachable".
 * The operator's setting and the provider's defaults are asked as they are.
 */
export async function nameserverAddresses(ctx: ToolContext, override: string | undefined, records: DnsRecord[], domain: string) {
  const base = override ? parseNameservers(override) : ctx.config.nameservers ? parseNameservers(ctx.config.nameservers) : DEFAULT_NAMESERVERS;
  const extra = withApexNameservers(base, apexNsHosts(records, domain)).slice(base.length);
  if (override) {
    checkModelNameservers(base, ctx.config);
    const scope = callScope();
    if (scope && !ctx.config.allowPrivateNameservers) scope.dnsLeft = Math.min(scope.dnsLeft, MODEL_DNS_QUERY_BUDGET);
  }
  const [given, apex] = await Promise.all([resolveNameservers(base), resolveNameservers(extra)]);
  const fromModel = override ? reachableAddresses(given.addresses, ctx.config) : { addresses: given.addresses, errors: [] };
  const asked = new Set(given.addresses.map(key));
  const fromZone = reachableAddresses(apex.addresses.filter((a) => !asked.has(key(a))), ctx.config);
  const marked = [...(override ? fromModel.addresses : []), ...fromZone.addresses];
  return {
    addresses: [...fromModel.addresses, ...fromZone.addresses],
    errors: [...given.errors, ...fromModel.errors, ...apex.errors, ...fromZone.errors],
    model: new Set(marked.map(key)),
  };
}

/** Failures of the model's own servers read "unreachable" (see collapseFailure). */
export function collapsed<T extends { servers: ServerStatus[] }>(r: T, model: Set<string>): T {
  return model.size ? { ...r, servers: r.servers.map((s) => (model.has(key(s)) ? collapseFailure(s) : s)) } : r;
}
