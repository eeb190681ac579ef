/**
 * The live audit's resolver (issue 25): every lookup goes to the authoritative servers found by
 * walking from the roots (walk.ts, the packets check_propagation and check_delegation send),
 * never to a recursive resolver's cache. One instance serves one audit: repeated lookups and
 * the zone cuts learnt on the way are remembered for that audit only. Each lookup is bounded in
 * time, and the audit by a lookup count and a wall clock; past either, lookups answer 'budget'
 * without asking, so the report can say what was not checked.
 */
import type { LiveAnswer, LiveResolver, LiveRr, LiveServerAnswer } from '../audit/live/types.js';
import type { NameserverAddress, NameserverSpec } from './nameservers.js';
import { MAX_CHAIN, followChain, rr } from './chain.js';
import { canonicalName, nameProblem, sameName } from './names.js';
import { ask, hostAddresses, label, walkDown, type WalkContext } from './walk.js';

export interface LiveResolverOptions {
  roots: NameserverAddress[];
  /** Host overrides (`host=ip:port`, VPSORG_NAMESERVERS), used before glue and lookups. */
  hosts?: NameserverSpec[] | undefined;
  /** Port for servers found on the way (default 53). */
  port?: number | undefined;
  /** Per-query try timeout in ms (default 2000) and tries (default 2). */
  timeoutMs?: number | undefined;
  tries?: number | undefined;
  /** Most lookups one audit makes (default 400). */
  maxLookups?: number | undefined;
  /** The audit's wall-clock budget in ms (default 25000). */
  wallMs?: number | undefined;
  /** One lookup's bound in ms, its whole walk included (default 6000). */
  lookupMs?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Which addresses named by zone data (askHost) or found on the walk may be asked (safety/reach.ts). */
  mayAsk: (a: NameserverAddress) => boolean;
}

/** One audit's budget by default: lookups, and the wall clock (below a client's usual 60 s call timeout). */
export const DEFAULT_MAX_LOOKUPS = 400;
export const DEFAULT_WALL_MS = 25_000;

const answer = (status: LiveAnswer['status'], detail: string, records: LiveRr[] = [], cnames: LiveRr[] = []): LiveAnswer => ({ status, records, cnames, detail });

export function createLiveResolver(opts: LiveResolverOptions): LiveResolver {
  const started = Date.now();
  const wallMs = opts.wallMs ?? DEFAULT_WALL_MS;
  const maxLookups = opts.maxLookups ?? DEFAULT_MAX_LOOKUPS;
  const wall = AbortSignal.timeout(wallMs);
  const audit = opts.signal ? AbortSignal.any([opts.signal, wall]) : wall;
  const base: WalkContext = {
    roots: opts.roots,
    hosts: new Map((opts.hosts ?? []).filter((h) => h.address !== undefined).map((h) => [canonicalName(h.host), { address: h.address as string, port: h.port }])),
    port: opts.port ?? 53,
    tuning: { timeoutMs: opts.timeoutMs ?? 2000, tries: opts.tries ?? 2, signal: audit },
    // Queries, not lookups: a walk asks several servers; this only stops a runaway.
    budget: { left: maxLookups * 12 },
    trace: [],
    cuts: new Map(),
    // A delegation anyone can register may point its glue at this network's private addresses.
    mayAsk: opts.mayAsk,
  };
  const memo = new Map<string, Promise<unknown>>();
  let lookups = 0;
  let exhausted: string | null = null;

  /** Null when a lookup may be made now (and counts it), else why not. */
  const admit = (): string | null => {
    if (!exhausted && lookups >= maxLookups) exhausted = `the audit's budget of ${maxLookups} lookups was used up`;
    if (!exhausted && (wall.aborted || Date.now() - started >= wallMs)) exhausted = `the audit's time budget of ${Math.round(wallMs / 1000)} s was used up`;
    if (exhausted) return exhausted;
    if (opts.signal?.aborted) return 'the audit was cancelled';
    lookups++;
    return null;
  };
  /** A context whose queries stop at this lookup's bound; cuts, budget and trace stay shared. */
  const lookupCtx = (): WalkContext => ({ ...base, tuning: { ...base.tuning, signal: AbortSignal.any([audit, AbortSignal.timeout(opts.lookupMs ?? 6000)]) } });
  const late = (detail: string): LiveAnswer => (wall.aborted ? answer('budget', exhausted ?? `the audit's time budget ran out during this lookup (${detail})`) : answer('error', detail));

  function once<T>(key: string, make: () => Promise<T>, over: (why: string) => T): Promise<T> {
    const known = memo.get(key) as Promise<T> | undefined;
    if (known) return known;
    const why = admit();
    if (why) return Promise.resolve(over(why));
    const p = make();
    memo.set(key, p);
    return p;
  }

  /** One name's authoritative answer; a CNAME chain that leaves the zone is followed by the caller. */
  async function single(name: string, type: string): Promise<LiveAnswer & { next?: string }> {
    const out = await walkDown(lookupCtx(), name, type);
    if (out.kind === 'error') return late(out.detail);
    const r = out.resp;
    const from = label(out.server);
    const { cnames, at, records, outside } = followChain(r.answers, name, type, out.zone);
    // A chain leaving the zone is asked of its own zone: its end's records and rcode are not this server's to give.
    if (outside) return { ...answer('nodata', '', [], cnames), next: at };
    if (r.rcode === 'NXDOMAIN') return answer('nxdomain', `${from}: NXDOMAIN for ${at}`, [], cnames);
    if (records.length) return answer('answer', `${from}: ${records.length} ${type}`, records, cnames);
    // A chain ending at a name this server did not answer for lives in another zone.
    if (cnames.length && !r.answers.some((a) => sameName(a.name, at))) return { ...answer('nodata', '', [], cnames), next: at };
    return answer('nodata', `${from}: no ${type} at ${at}`, [], cnames);
  }

  async function follow(name: string, type: string, chain: LiveRr[]): Promise<LiveAnswer> {
    const got = await single(name, type);
    const cnames = [...chain, ...got.cnames];
    if (got.next === undefined) return { ...got, cnames };
    if (cnames.length > MAX_CHAIN || cnames.slice(0, -1).some((c) => sameName(c.name, got.next as string))) {
      return answer('error', `CNAME chain from ${chain[0]?.name ?? name} loops or exceeds ${MAX_CHAIN} links`, [], cnames);
    }
    // Followed here, not through the memo: a loop across zones would wait on its own lookup.
    const why = admit();
    if (why) return answer('budget', why, [], cnames);
    return follow(got.next, type, cnames);
  }

  const resolver: LiveResolver = {
    lookup(name, type) {
      const problem = nameProblem(name);
      if (problem) return Promise.resolve(answer('error', `"${name}" ${problem}`));
      const t = type.toUpperCase();
      return once(`${canonicalName(name)}|${t}`, () => follow(name, t, []), (why) => answer('budget', why));
    },
    askHost(host, name, type, addresses) {
      const t = type.toUpperCase();
      const key = `@${canonicalName(host)}|${(addresses ?? []).join(',')}|${canonicalName(name)}|${t}`;
      const over = (why: string): LiveServerAnswer[] => [{ host: canonicalName(host), address: null, status: 'budget', records: [], detail: why }];
      return once(key, () => askEach(host, name, t, addresses), over);
    },
    get lookups() {
      return lookups;
    },
    get exhausted() {
      return exhausted;
    },
  };

  async function askEach(host: string, name: string, type: string, addresses: string[] | undefined): Promise<LiveServerAnswer[]> {
    const ctx = lookupCtx();
    const h = canonicalName(host);
    const pinned = ctx.hosts.get(h);
    const given = addresses?.map((address) => ({ host: h, address, port: pinned?.port ?? ctx.port, family: address.includes(':') ? (6 as const) : (4 as const) }));
    const found = given?.length ? given : await hostAddresses(ctx, h, [], 1);
    if (!found.length) return [{ host: h, address: null, status: 'error', records: [], detail: `no address found for ${h}` }];
    return Promise.all(
      found.map(async (s): Promise<LiveServerAnswer> => {
        const head = { host: h, address: s.address };
        if (!opts.mayAsk(s)) return { ...head, status: 'error', records: [], detail: 'the address is not public; not asked' };
        const r = await ask(ctx, s, name, type);
        if (!r.ok) return { ...head, ...late(`${label(s)}: ${r.error}`) };
        const records = r.answers.filter((a) => a.type === type && sameName(a.name, name)).map(rr);
        const why = r.rcode !== 'NOERROR' && r.rcode !== 'NXDOMAIN' ? r.rcode : !r.aa ? (r.authorities.some((a) => a.type === 'NS') ? 'a referral instead of an answer' : 'an answer without the AA flag') : null;
        if (why) return { ...head, status: 'lame', records: [], detail: `${label(s)}: not authoritative (${why})` };
        const status = r.rcode === 'NXDOMAIN' ? 'nxdomain' : records.length ? 'answer' : 'nodata';
        return { ...head, status, records, detail: `${label(s)}: ${status === 'answer' ? `${records.length} ${type}` : status}` };
      }),
    );
  }

  return resolver;
}
