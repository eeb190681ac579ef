/**
 * audit_zone's live mode (issue 25): a resolver for one audit, walking from the configured roots
 * (VPSORG_DNS_ROOTS, the sandbox's stand-in root, else the real ones) to authoritative servers;
 * never VPSORG_DNS_RESOLVER, whose cache would hide what the servers serve now. Hosts named only
 * by zone data are asked under the same reach rules as check_delegation's (safety/reach.ts).
 */
import { auditZoneLive, type LiveReport } from '../../audit/live/index.js';
import type { AuditRecord } from '../../audit/index.js';
import { ROOT_HINTS } from '../../dns/index.js';
import { createLiveResolver } from '../../dns/live-resolver.js';
import { givenAddresses, parseNameservers } from '../../dns/nameservers.js';
import { isPublicUnicast, zoneHostAllowed } from '../../safety/reach.js';
import type { Config } from '../../config.js';
import type { LiveResolver } from '../../audit/live/types.js';

/** `wrap`: what answers before the walk (a preview's nameserver for its zone, tools/kit/preview.ts). */
export function runLiveAudit(config: Config, zone: string, records: readonly AuditRecord[], signal: AbortSignal | undefined, wrap?: (r: LiveResolver) => LiveResolver): Promise<LiveReport> {
  const resolver = createLiveResolver({
    roots: config.dnsRoots ? givenAddresses(parseNameservers(config.dnsRoots)) : ROOT_HINTS,
    hosts: config.nameservers ? parseNameservers(config.nameservers) : undefined,
    signal,
    mayAsk: zoneHostAllowed(config),
  });
  return auditZoneLive(zone, records, wrap ? wrap(resolver) : resolver, { allowHttp: config.auditHttp, signal, mayFetch: (a) => config.allowPrivateNameservers || isPublicUnicast(a) });
}

/** The live part of the result: what it cost and whether the budget ran out. */
export function liveLine(r: LiveReport): string {
  const l = r.live;
  return `Live: ${l.lookups} lookups at the authoritative servers in ${(l.elapsed_ms / 1000).toFixed(1)} s${l.exhausted ? `; stopped early: ${l.exhausted} (see Not checked)` : ''}.`;
}
