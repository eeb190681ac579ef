/**
 * "Is the zone actually delegated to the provider?": the parent's NS set for the zone, compared
 * with the provider's nameservers and the zone's own apex NS records, plus a check that every
 * listed server answers authoritatively for the zone (a server that does not is "lame").
 */
import { findParent } from './delegation-parent.js';
import type { NameserverAddress, NameserverSpec } from './nameservers.js';
import { assertQueryName, canonicalName } from './names.js';
import { checkServers, serverAdvice, servedNs, type DelegationServer } from './delegation-servers.js';
import type { WalkContext } from './walk.js';

export type { DelegationServer } from './delegation-servers.js';

/** IPv4 addresses of a.root-servers.net ... m.root-servers.net (IANA root hints). */
export const ROOT_HINTS: NameserverAddress[] = [
  ['a', '198.41.0.4'], ['b', '170.247.170.2'], ['c', '192.33.4.12'], ['d', '199.7.91.13'], ['e', '192.203.230.10'], ['f', '192.5.5.241'], ['g', '192.112.36.4'],
  ['h', '198.97.190.53'], ['i', '192.36.148.17'], ['j', '192.58.128.30'], ['k', '193.0.14.129'], ['l', '199.7.83.42'], ['m', '202.12.27.33'],
].map(([l, address]) => ({ host: `${l}.root-servers.net`, address: address as string, port: 53, family: 4 as const }));

export interface DelegationInput {
  zone: string;
  /** The provider's nameservers (FQDN). */
  expectedNameservers: string[];
  /** The zone's apex NS values as the API has them. */
  apexNs: string[];
  /** Where the walk starts (default ROOT_HINTS). */
  roots?: NameserverAddress[];
  /** Use this recursive resolver instead of walking from the roots. */
  resolver?: { address: string; port: number };
  /** Host overrides (`host=ip:port` items), used before glue and lookups. */
  hosts?: NameserverSpec[];
  /** Port for servers found on the way (default 53). */
  port?: number;
  timeoutMs?: number;
  tries?: number;
  signal?: AbortSignal;
  /**
   * Which addresses not named by the operator (roots, resolver, `hosts`) may be asked: referral
   * glue, lookups, the parent's and the apex's NS hosts. Anyone can publish a delegation.
   */
  mayAsk: (a: NameserverAddress) => boolean;
}


export interface DelegationResult {
  zone: string;
  ok: boolean;
  delegated: boolean;
  parent_zone: string | null;
  parent_servers: string[];
  parent_ns: string[];
  expected_ns: string[];
  apex_ns: string[];
  /** The NS set the provider's nameservers serve at the apex (empty when none answered). */
  served_ns: string[];
  missing_at_parent: string[];
  extra_at_parent: string[];
  only_at_apex: string[];
  only_at_parent: string[];
  servers: DelegationServer[];
  /** Listed servers that are not the provider's and do not answer authoritatively. */
  lame: string[];
  /** The provider's own nameservers that do not serve the zone yet (its publish delay). */
  not_loaded: string[];
  problems: string[];
  /** What to do first when the verdict is not OK; null when it is. */
  next_step: string | null;
  notes: string[];
  trace: string[];
}

const norm = (list: string[]) => [...new Set(list.map(canonicalName))].filter((h) => h !== '.').sort();
const minus = (a: string[], b: string[]) => a.filter((x) => !b.includes(x));

export async function checkDelegation(input: DelegationInput): Promise<DelegationResult> {
  const zone = assertQueryName(input.zone, 'zone');
  const ctx: WalkContext = {
    roots: input.roots ?? ROOT_HINTS,
    resolver: input.resolver,
    hosts: new Map((input.hosts ?? []).filter((h) => h.address !== undefined).map((h) => [canonicalName(h.host), { address: h.address as string, port: h.port }])),
    port: input.port ?? 53,
    tuning: { timeoutMs: input.timeoutMs ?? 3000, tries: input.tries ?? 2, signal: input.signal },
    budget: { left: 200 },
    trace: [],
    mayAsk: input.mayAsk,
  };
  const expected = norm(input.expectedNameservers);
  const apex = norm(input.apexNs);
  const parent = await findParent(ctx, zone);
  const view = 'error' in parent ? null : parent;
  const parentNs = norm(view?.parentNs ?? []);
  const servers = await checkServers(ctx, zone, norm([...parentNs, ...apex, ...expected]), view?.glue ?? []);
  // What the provider's nameservers serve at the apex is what resolvers get: a zone just created
  // has no NS records in the API, yet the provider serves its own there.
  const served = await servedNs(ctx, zone, servers.filter((s) => s.status === 'ok' && expected.includes(canonicalName(s.host))));
  const effective = served.length ? served : apex;
  const problems: string[] = [];
  const steps: string[] = [];
  if (!view) {
    problems.push(`could not find the parent's delegation: ${(parent as { error: string }).error}`);
    steps.push('Check that DNS servers can be reached from here (or set VPSORG_DNS_RESOLVER / VPSORG_DNS_ROOTS), then run check_delegation again.');
  } else if (!view.delegated) {
    problems.push(`${zone} is not delegated: ${view.note ?? 'the parent has no NS records for it'}`);
    steps.push(`At the registrar of ${zone}, set its nameservers to ${expected.join(', ')}; the parent publishes the change within its NS TTL (often up to 48 h). Then run check_delegation again.`);
  }
  const missing = view?.delegated ? minus(expected, parentNs) : [];
  const extra = view?.delegated ? minus(parentNs, expected) : [];
  const onlyApex = view?.delegated ? minus(effective, parentNs) : [];
  const onlyParent = view?.delegated ? minus(parentNs, effective) : [];
  if (missing.length) problems.push(`the parent does not list the provider's nameserver(s) ${missing.join(', ')}: add them at the registrar`);
  if (extra.length) problems.push(`the parent lists nameserver(s) that are not the provider's: ${extra.join(', ')}`);
  if (missing.length || extra.length) steps.push(`At the registrar, make the domain's nameservers exactly ${expected.join(', ')}, then run check_delegation again (the parent's NS TTL may delay it).`);
  if (onlyApex.length || onlyParent.length) {
    problems.push(`the NS set served at the zone's apex and the parent's NS set differ (only at apex: ${onlyApex.join(', ') || 'none'}; only at parent: ${onlyParent.join(', ') || 'none'})`);
    steps.push('Make the apex NS records match the parent\'s NS set: delete apex NS records that are not the provider\'s (delete_record, name @, record_type NS), or fix the registrar\'s list.');
  }
  const missingAtApex = minus(expected, effective);
  if (missingAtApex.length) {
    problems.push(`the zone's apex NS set does not list ${missingAtApex.join(', ')}`);
    steps.push(`Add apex NS records for ${missingAtApex.join(', ')} (create_record, name @, record_type NS), or delete the apex NS records so the provider serves its own.`);
  }
  const advice = serverAdvice(zone, servers, expected);
  problems.push(...advice.problems);
  steps.push(...advice.steps);
  return {
    zone,
    ok: problems.length === 0,
    delegated: view?.delegated ?? false,
    parent_zone: view?.parentZone ?? null,
    parent_servers: (view?.parentServers ?? []).map((s) => `${s.host} ${s.address}:${s.port}`),
    parent_ns: parentNs,
    expected_ns: expected,
    apex_ns: apex,
    served_ns: served,
    missing_at_parent: missing,
    extra_at_parent: extra,
    only_at_apex: onlyApex,
    only_at_parent: onlyParent,
    servers,
    lame: advice.lame,
    not_loaded: advice.notLoaded,
    problems,
    next_step: problems.length ? (steps[0] ?? 'Fix the problems listed, then run check_delegation again.') : null,
    notes: [...(view?.note && view.delegated ? [view.note] : []), ...(!apex.length && served.length ? [`the API lists no NS records for ${zone}; the provider serves ${served.join(', ')} at its apex`] : [])],
    trace: ctx.trace,
  };
}
