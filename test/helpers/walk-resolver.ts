/**
 * A test-only LiveResolver over the root walk (src/dns/walk.ts), for the mail checks' tests
 * until the audit's own resolver lands: every lookup walks from the sandbox's stand-in root to
 * the authoritative servers, CNAMEs followed across zones, repeats answered from a memo.
 */
import type { LiveAnswer, LiveResolver, LiveRr } from '../../src/audit/live/types.js';
import { givenAddresses, parseNameservers } from '../../src/dns/nameservers.js';
import { canonicalName, sameName } from '../../src/dns/names.js';
import { walkDown, type WalkContext } from '../../src/dns/walk.js';
import type { Sandbox } from '../../src/sandbox/index.js';

export function walkResolver(sb: Sandbox): LiveResolver {
  const hosts = new Map(parseNameservers(sb.env.VPSORG_NAMESERVERS).map((h) => [canonicalName(h.host), { address: h.address as string, port: h.port }]));
  const ctx = (): WalkContext => ({ roots: givenAddresses(parseNameservers(sb.env.VPSORG_DNS_ROOTS)), hosts, port: 53, tuning: { timeoutMs: 1000, tries: 2 }, budget: { left: 60 }, trace: [] });
  const memo = new Map<string, Promise<LiveAnswer>>();
  let lookups = 0;
  async function resolve(name: string, type: string, chain: LiveRr[]): Promise<LiveAnswer> {
    const out = await walkDown(ctx(), name, type);
    if (out.kind === 'error') return { status: 'error', records: [], cnames: chain, detail: out.detail };
    let at = canonicalName(name);
    const cnames = [...chain];
    for (;;) {
      const c = out.resp.answers.find((a) => a.type === 'CNAME' && sameName(a.name, at));
      if (!c || type === 'CNAME' || cnames.length > 8) break;
      cnames.push(c);
      at = canonicalName(c.value);
    }
    const records = out.resp.answers.filter((a) => a.type === type && sameName(a.name, at));
    if (records.length) return { status: 'answer', records, cnames, detail: 'answer' };
    if (out.resp.rcode === 'NXDOMAIN') return { status: 'nxdomain', records: [], cnames, detail: `NXDOMAIN for ${at}` };
    if (cnames.length > chain.length && !out.resp.answers.some((a) => sameName(a.name, at))) return resolve(at, type, cnames);
    return { status: 'nodata', records: [], cnames, detail: `no ${type} at ${at}` };
  }
  return {
    lookup(name, type) {
      const key = `${canonicalName(name)}|${type}`;
      let p = memo.get(key);
      if (!p) {
        lookups++;
        p = resolve(name, type, []);
        memo.set(key, p);
      }
      return p;
    },
    get lookups() {
      return lookups;
    },
  };
}
