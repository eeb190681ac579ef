/**
 * The live audit of a preview (issue 25.6, `audit_zone {live: true, preview}`): a LiveResolver
 * that answers names of the previewed zone from the preview nameserver (the future zone, as the
 * provider would serve it) and every other name through the audit's own resolver (the walk from
 * the root). A CNAME leaving the zone, or a referral below one of its cuts, continues there.
 * The provider's nameservers asked directly (askHost, lame checks) are the preview server too.
 */
import type { LiveAnswer, LiveResolver, LiveRr, LiveServerAnswer } from '../audit/live/types.js';
import type { NameserverAddress } from './nameservers.js';
import { canonicalName, isAtOrBelow, sameName } from './names.js';
import { queryDns, type QueryResult } from './query.js';
import { MAX_CHAIN, followChain } from './chain.js';

export interface PreviewTarget {
  /** The previewed zone's domain. */
  zone: string;
  server: NameserverAddress;
  /** The provider's nameserver host names: askHost to one of them for the zone asks the preview. */
  providerHosts: readonly string[];
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

const answer = (status: LiveAnswer['status'], detail: string, records: LiveRr[] = [], cnames: LiveRr[] = []): LiveAnswer => ({ status, records, cnames, detail });

/** `base` with the preview in front (its budget and memo keep serving every other name). */
export function withPreview(base: LiveResolver, target: PreviewTarget): LiveResolver {
  let own = 0;
  const memo = new Map<string, Promise<LiveAnswer>>();
  const where = `preview ${target.server.address}:${target.server.port}`;
  const inZone = (name: string) => isAtOrBelow(canonicalName(name), canonicalName(target.zone));
  const ask = (name: string, type: string): Promise<QueryResult> => {
    own++;
    return queryDns(target.server, name, type, { timeoutMs: target.timeoutMs ?? 2000, tries: 2, signal: target.signal });
  };

  async function fromPreview(name: string, type: string): Promise<LiveAnswer> {
    const r = await ask(name, type);
    if (!r.ok) return answer('error', `${where}: ${r.error}`);
    // Below a cut of the previewed zone: the child's own servers answer, found by the walk.
    if (!r.aa) return base.lookup(name, type);
    // The preview server answers for the previewed zone only: a chain leaving it goes on live.
    const { cnames, at, records, outside } = followChain(r.answers, name, type, target.zone);
    if (!outside && r.rcode === 'NXDOMAIN') return answer('nxdomain', `${where}: NXDOMAIN for ${at}`, [], cnames);
    if (!outside && r.rcode !== 'NOERROR') return answer('error', `${where}: ${r.rcode}`, [], cnames);
    if (records.length) return answer('answer', `${where}: ${records.length} ${type}`, records, cnames);
    if (outside || (cnames.length && !r.answers.some((a) => sameName(a.name, at)))) {
      if (cnames.length > MAX_CHAIN) return answer('error', `CNAME chain from ${name} exceeds ${MAX_CHAIN} links`, [], cnames);
      const rest = await resolver.lookup(at, type);
      return { ...rest, cnames: [...cnames, ...rest.cnames] };
    }
    return answer('nodata', `${where}: no ${type} at ${at}`, [], cnames);
  }

  async function askHost(host: string, name: string, type: string, addresses?: string[]): Promise<LiveServerAnswer[]> {
    const provider = target.providerHosts.some((h) => sameName(h, host));
    if (!(provider && inZone(name))) return base.askHost(host, name, type, addresses);
    const a = await fromPreview(name, type);
    const status = a.status === 'answer' || a.status === 'nodata' || a.status === 'nxdomain' ? a.status : 'error';
    return [{ host: canonicalName(host), address: target.server.address, status, records: a.cnames.length ? [] : a.records, detail: a.detail }];
  }

  const resolver: LiveResolver = {
    lookup(name, type) {
      if (!inZone(name)) return base.lookup(name, type);
      const key = `${canonicalName(name)}|${type.toUpperCase()}`;
      let p = memo.get(key);
      if (!p) memo.set(key, (p = fromPreview(name, type.toUpperCase())));
      return p;
    },
    askHost,
    get lookups() {
      return base.lookups + own;
    },
    get exhausted() {
      return base.exhausted;
    },
  };
  return resolver;
}
