/**
 * Finding the parent side of a delegation: which servers are authoritative for the parent zone
 * and which NS set they hand out for the child (the referral, RFC 1034 section 4.3.2).
 */
import type { NameserverAddress } from './nameservers.js';
import { canonicalName, parentName, sameName } from './names.js';
import type { Rr } from './packet.js';
import { ask, hostAddresses, label, walkDown, type Ok, type WalkContext } from './walk.js';

export interface ParentView {
  /** Null when the parent zone's name could not be told. */
  parentZone: string | null;
  parentServers: NameserverAddress[];
  /** False when the parent has no NS records for the zone (NXDOMAIN or NODATA there). */
  delegated: boolean;
  parentNs: string[];
  glue: Rr[];
  note: string | null;
}

const nsOf = (rrs: Rr[], zone: string) => [...new Set(rrs.filter((a) => a.type === 'NS' && sameName(a.name, zone)).map((a) => a.value))].sort();

/** The zone a SOA in an answer or authority section belongs to. */
function soaOwner(r: Ok): string | null {
  const soa = [...r.answers, ...r.authorities].find((a) => a.type === 'SOA');
  return soa ? canonicalName(soa.name) : null;
}

/** Which zone a parent server answers from, asked via the SOA of the zone's parent name. */
async function parentZoneOf(ctx: WalkContext, server: NameserverAddress, zone: string): Promise<string | null> {
  const r = await ask(ctx, server, parentName(zone), 'SOA');
  return r.ok && r.aa ? soaOwner(r) : null;
}

/** Interprets a parent server's answer to `zone NS` (RD off). */
async function fromParentAnswer(ctx: WalkContext, r: Ok, server: NameserverAddress, servers: NameserverAddress[], zone: string): Promise<ParentView> {
  const base = { parentServers: servers, glue: r.additionals };
  if (!r.aa) return { ...base, parentZone: await parentZoneOf(ctx, server, zone), delegated: true, parentNs: nsOf(r.authorities, zone), note: null };
  const apex = nsOf(r.answers, zone);
  if (r.rcode === 'NOERROR' && apex.length) {
    return { ...base, parentZone: null, delegated: true, parentNs: apex, note: `${label(server)} is authoritative for ${zone} itself, so the parent's own NS set is not visible there; the set shown is the zone's apex NS` };
  }
  const owner = soaOwner(r);
  const where = owner ?? 'the parent zone';
  return { ...base, parentZone: owner, delegated: false, parentNs: [], note: r.rcode === 'NXDOMAIN' ? `${zone} does not exist in ${where}` : `${zone} exists in ${where} but has no NS records there (not delegated)` };
}

/** Root-hint walk (or, with a resolver, the closest enclosing zone with NS records). */
export async function findParent(ctx: WalkContext, zone: string): Promise<ParentView | { error: string }> {
  if (!ctx.resolver) {
    const out = await walkDown(ctx, zone, 'NS', 0, zone);
    if (out.kind === 'error') return { error: out.detail };
    if (out.kind === 'referral') return fromParentAnswer(ctx, out.resp, out.server, out.servers, zone);
    return fromParentAnswer(ctx, out.resp, out.server, [out.server], zone);
  }
  const resolver = { host: 'resolver', family: ctx.resolver.address.includes(':') ? (6 as const) : (4 as const), ...ctx.resolver };
  for (let p = parentName(zone); ; p = parentName(p)) {
    const r = await ask(ctx, resolver, p, 'NS', true);
    const names = r.ok && r.rcode === 'NOERROR' ? nsOf(r.answers, p) : [];
    if (names.length) {
      ctx.trace.push(`resolver: ${p} is served by ${names.join(', ')}`);
      const servers = (await Promise.all(names.map((h) => hostAddresses(ctx, h, [], 1)))).flat();
      const failures: string[] = [];
      for (const server of servers) {
        const a = await ask(ctx, server, zone, 'NS');
        if (a.ok && (a.rcode === 'NOERROR' || a.rcode === 'NXDOMAIN')) {
          const view = await fromParentAnswer(ctx, a, server, servers, zone);
          return view.parentZone === null && view.note === null ? { ...view, parentZone: p } : view;
        }
        failures.push(`${label(server)}: ${a.ok ? a.rcode : a.error}`);
      }
      return { error: `none of the servers of ${p} answered for ${zone} NS: ${failures.join('; ') || 'no addresses found'}` };
    }
    if (p === '.') return { error: `the resolver knows no nameservers for any parent of ${zone}` };
  }
}
