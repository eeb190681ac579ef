/**
 * Iterative resolution from root hints, the way a resolver does it but without a cache: ask
 * with recursion off, follow referrals down, take glue only when it is in bailiwick (glue for a
 * name outside the referred zone is what cache-poisoning attacks inject), otherwise resolve the
 * nameserver's name with the same walk. A query budget and a depth limit keep it bounded.
 */
import type { NameserverAddress } from './nameservers.js';
import { canonicalName, isAtOrBelow, parentName, sameName } from './names.js';
import type { Rr } from './packet.js';
import type { QueryTuning } from './propagation-check.js';
import { queryDns, type QueryResult } from './query.js';

export type Ok = QueryResult & { ok: true };

export interface WalkContext {
  roots: NameserverAddress[];
  /** A recursive resolver to use instead of the root walk (queries then carry RD). */
  resolver?: { address: string; port: number } | undefined;
  /** host -> address:port overrides (VPSORG_NAMESERVERS `host=ip:port`), used before glue. */
  hosts: Map<string, { address: string; port: number }>;
  /** Port for servers found through referrals and lookups (default 53). */
  port: number;
  tuning: QueryTuning;
  budget: { left: number };
  trace: string[];
  /**
   * Zone cut -> its servers, learnt from referrals. When given, a walk starts at the closest
   * known cut instead of the roots (one audit's memo, never shared: it is not a cache).
   */
  cuts?: Map<string, NameserverAddress[]>;
  /**
   * Which servers found on the way (referral glue, looked-up addresses) may be asked; the roots,
   * the resolver and the host overrides are the operator's and always may. Required: a delegation
   * anyone can publish may point its glue at the operator's private network (safety/reach.ts).
   */
  mayAsk: (s: NameserverAddress) => boolean;
}

export type WalkOutcome =
  // `zone`: the cut whose servers answered; what they may assert lies at or below it (bailiwick).
  | { kind: 'answer'; resp: Ok; server: NameserverAddress; zone: string }
  | { kind: 'referral'; resp: Ok; server: NameserverAddress; zone: string; servers: NameserverAddress[]; cut: string; ns: string[] }
  | { kind: 'error'; detail: string };

const MAX_DEPTH = 6;
const MAX_STEPS = 16;

export const label = (s: NameserverAddress) => `${s.host} (${s.address.includes(':') ? `[${s.address}]` : s.address}:${s.port})`;

/** A root, the configured resolver or a host override: servers the operator named. */
export function operators(ctx: WalkContext, s: { address: string; port: number }): boolean {
  const same = (a: { address: string; port: number }) => a.address === s.address && a.port === s.port;
  return ctx.roots.some(same) || (ctx.resolver !== undefined && same(ctx.resolver)) || [...ctx.hosts.values()].some(same);
}

export async function ask(ctx: WalkContext, server: NameserverAddress, name: string, type: string, rd = false): Promise<QueryResult> {
  if (ctx.budget.left-- <= 0) return { ok: false, kind: 'network', error: 'query budget for this check used up', rttMs: 0 };
  if (!operators(ctx, server) && !ctx.mayAsk(server)) return { ok: false, kind: 'network', error: 'a referral led to an address that is not public: not asked', rttMs: 0 };
  return queryDns(server, name, type, { ...ctx.tuning, rd });
}

/** The NS owner name and targets of a referral, when it leads strictly below `cutZone` towards `name`. */
export function referralOf(r: Ok, name: string, cutZone: string): { cut: string; ns: string[] } | null {
  const ns = r.authorities.filter((a) => a.type === 'NS');
  const cut = ns[0]?.name;
  if (r.aa || cut === undefined || !isAtOrBelow(name, cut) || !isAtOrBelow(cut, cutZone) || sameName(cut, cutZone)) return null;
  return { cut, ns: [...new Set(ns.filter((a) => sameName(a.name, cut)).map((a) => a.value))] };
}

/** Asks each server in turn until one gives an authoritative answer or a useful referral. */
async function askAny(ctx: WalkContext, servers: NameserverAddress[], name: string, type: string, cutZone: string): Promise<{ resp: Ok; server: NameserverAddress } | { error: string }> {
  const failures: string[] = [];
  for (const server of servers) {
    const r = await ask(ctx, server, name, type);
    if (r.ok && (r.rcode === 'NOERROR' || r.rcode === 'NXDOMAIN') && (r.aa || referralOf(r, name, cutZone))) return { resp: r, server };
    failures.push(`${label(server)}: ${r.ok ? (r.rcode !== 'NOERROR' ? r.rcode : 'neither an authoritative answer nor a referral') : r.error}`);
  }
  return { error: `no server for ${cutZone === '.' ? 'the root' : cutZone} answered ${name} ${type}: ${failures.join('; ') || 'no servers'}` };
}

function addressRecords(rrs: Rr[], host: string): string[] {
  return rrs.filter((a) => (a.type === 'A' || a.type === 'AAAA') && sameName(a.name, host)).map((a) => a.value);
}

function toServers(host: string, addresses: string[], port: number): NameserverAddress[] {
  return addresses.map((address) => ({ host, address, port, family: address.includes(':') ? 6 : 4 }));
}

/** Every address of a nameserver host: override, else the given glue, else a lookup. */
export async function hostAddresses(ctx: WalkContext, host: string, glue: Rr[], depth: number): Promise<NameserverAddress[]> {
  const h = canonicalName(host);
  const pinned = ctx.hosts.get(h);
  if (pinned) return [{ host: h, address: pinned.address, port: pinned.port, family: pinned.address.includes(':') ? 6 : 4 }];
  const fromGlue = addressRecords(glue, h);
  if (fromGlue.length) return toServers(h, fromGlue, ctx.port);
  if (depth > MAX_DEPTH) return [];
  const found: string[] = [];
  for (const type of ['A', 'AAAA']) {
    if (ctx.resolver) {
      const r = await ask(ctx, { host: 'resolver', family: ctx.resolver.address.includes(':') ? 6 : 4, ...ctx.resolver }, h, type, true);
      // A recursive resolver returns the whole CNAME chain; every address in it belongs to the host.
      if (r.ok) found.push(...r.answers.filter((a) => a.type === type).map((a) => a.value));
      continue;
    }
    const out = await walkDown(ctx, h, type, depth + 1);
    if (out.kind !== 'answer') continue;
    const direct = addressRecords(out.resp.answers, h);
    const cname = out.resp.answers.find((a) => a.type === 'CNAME' && sameName(a.name, h));
    if (direct.length) found.push(...direct);
    else if (cname) found.push(...(await hostAddresses(ctx, cname.value, [], depth + 1)).map((s) => s.address));
  }
  return toServers(h, [...new Set(found)], ctx.port);
}

/** Addresses for a referral's servers: in-bailiwick glue and overrides first, lookups only if none. */
async function referralServers(ctx: WalkContext, cut: string, ns: string[], glue: Rr[], depth: number): Promise<NameserverAddress[]> {
  const inBailiwick = glue.filter((g) => isAtOrBelow(g.name, cut));
  const quick = (await Promise.all(ns.map((h) => (ctx.hosts.has(canonicalName(h)) || addressRecords(inBailiwick, h).length ? hostAddresses(ctx, h, inBailiwick, depth) : [])))).flat();
  if (quick.length) return quick;
  for (const h of ns) {
    const found = await hostAddresses(ctx, h, [], depth);
    if (found.length) return found;
  }
  return [];
}

/** The deepest zone cut known for `name` (the roots when none is known). */
function closestCut(ctx: WalkContext, name: string): { servers: NameserverAddress[]; cutZone: string } {
  if (ctx.cuts) {
    for (let n = canonicalName(name); n !== '.'; n = parentName(n)) {
      const known = ctx.cuts.get(n);
      if (known) return { servers: known, cutZone: n };
    }
  }
  return { servers: ctx.roots, cutZone: '.' };
}

/**
 * Walks from the roots (or the closest cut known, see WalkContext.cuts) towards `name`. Stops at the first authoritative answer, or, when
 * `stopAtCut` is given, at the referral for that zone cut (the parent's delegation).
 */
export async function walkDown(ctx: WalkContext, name: string, type: string, depth = 0, stopAtCut?: string): Promise<WalkOutcome> {
  let { servers, cutZone } = stopAtCut === undefined ? closestCut(ctx, name) : { servers: ctx.roots, cutZone: '.' };
  for (let step = 0; step < MAX_STEPS; step++) {
    const got = await askAny(ctx, servers, name, type, cutZone);
    if ('error' in got) return { kind: 'error', detail: got.error };
    if (got.resp.aa) {
      ctx.trace.push(`${label(got.server)}: authoritative ${got.resp.rcode} for ${name} ${type}`);
      return { kind: 'answer', resp: got.resp, server: got.server, zone: cutZone };
    }
    const ref = referralOf(got.resp, name, cutZone) as { cut: string; ns: string[] };
    ctx.trace.push(`${label(got.server)}: referral for ${ref.cut} to ${ref.ns.join(', ')}`);
    if (stopAtCut !== undefined && sameName(ref.cut, stopAtCut)) return { kind: 'referral', resp: got.resp, server: got.server, zone: cutZone, servers, cut: canonicalName(ref.cut), ns: ref.ns };
    const next = await referralServers(ctx, ref.cut, ref.ns, got.resp.additionals, depth);
    if (!next.length) return { kind: 'error', detail: `no address found for any nameserver of ${ref.cut} (${ref.ns.join(', ')})` };
    servers = next;
    cutZone = canonicalName(ref.cut);
    ctx.cuts?.set(cutZone, next);
  }
  return { kind: 'error', detail: `gave up after ${MAX_STEPS} referrals for ${name}` };
}
