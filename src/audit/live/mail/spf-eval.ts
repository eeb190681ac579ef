/**
 * SPF evaluation as a receiver does it (RFC 7208 4.6-6), replayed over the fetched record graph
 * (spf-fetch.ts): terms in order, the 10-lookup limit (4.6.4: include, a, mx, ptr, exists and
 * redirect each count one), the 2-void-lookup limit, `redirect` only when no mechanism matched
 * and no `all` is present. Without a sender address nothing address-based matches, so the
 * result is the one for a server the record does not list. Pure: no I/O.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { MAX_NAMES, type SpfQuery, type SpfRecordNode, type SpfTermNode } from './spf-fetch.js';
import { sameAddress, senderAddress } from './spf-macro.js';

export type SpfResult = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'permerror' | 'temperror';
export const MAX_LOOKUPS = 10;
export const MAX_VOIDS = 2;
/** Includes nest at most this deep before the evaluation gives up (a loop without lookups cannot exist, but be safe). */
const MAX_DEPTH = 40;

export interface SpfEvaluation {
  result: SpfResult;
  /** Why the result, in words (the permerror's cause, the matching term). */
  reason: string;
  /** Lookup-counting terms evaluated before the result was reached (a receiver stops at the 11th). */
  lookups: number;
  voids: number;
  /** The term that decided the result (`domain: term`), or null. */
  decidedBy: string | null;
}

const QUALIFIED: Record<string, SpfResult> = { '+': 'pass', '-': 'fail', '~': 'softfail', '?': 'neutral' };

class Stop extends Error {
  constructor(
    readonly result: 'permerror' | 'temperror',
    readonly why: string,
  ) {
    super(why);
  }
}

function matches(ip: string | undefined, addresses: string[], t: SpfTermNode): boolean {
  if (!ip) return false;
  const v6 = isIPv6(ip);
  const bits = v6 ? (t.kind === 'ip6' ? t.cidr4 : t.cidr6) ?? 128 : t.cidr4 ?? 32;
  const list = new BlockList();
  for (const a of addresses) {
    if (v6 ? !isIPv6(a) : !isIPv4(a)) continue;
    list.addSubnet(a, bits, v6 ? 'ipv6' : 'ipv4');
  }
  return list.check(ip, v6 ? 'ipv6' : 'ipv4');
}

// 'budget' is not here: the audit's own budget running out stays a temperror (query()).
const failed = (q: SpfQuery) => q.status === 'error';

export class SpfEvaluator {
  lookups = 0;
  voids = 0;
  private decided: string | null = null;

  private readonly ip: string | undefined;

  constructor(ip?: string) {
    this.ip = ip ? senderAddress(ip) : undefined;
  }

  private count(what: string): void {
    if (++this.lookups > MAX_LOOKUPS) throw new Stop('permerror', `more than ${MAX_LOOKUPS} DNS lookups (at ${what})`);
  }

  private query(q: SpfQuery | undefined): string[] {
    if (!q) return [];
    if (q.status === 'error' || q.status === 'budget') throw new Stop('temperror', `${q.name} ${q.type}: ${q.detail || q.status}`);
    if (q.values.length === 0 && ++this.voids > MAX_VOIDS) throw new Stop('permerror', `more than ${MAX_VOIDS} void lookups (at ${q.name} ${q.type})`);
    return q.values;
  }

  /** The record's result; `none` when it has no SPF record (the caller decides what that means). */
  private record(node: SpfRecordNode, depth: number): SpfResult {
    if (depth > MAX_DEPTH) throw new Stop('permerror', `includes nested more than ${MAX_DEPTH} deep`);
    if (node.txt.status === 'error' || node.txt.status === 'budget') throw new Stop('temperror', `${node.domain} TXT: ${node.txt.detail || node.txt.status}`);
    if (node.spf.length === 0) {
      this.query(node.txt);
      return 'none';
    }
    if (node.spf.length > 1) throw new Stop('permerror', `${node.domain} publishes ${node.spf.length} SPF records`);
    const parsed = node.parsed;
    if (!parsed) return 'none';
    const bad = parsed.errorAt;
    // Modifiers are read with the record: a redirect counts its lookup before any mechanism runs.
    parsed.terms.forEach((t, i) => {
      if (t.kind === 'redirect' && (bad === null || i < bad)) this.count(`${node.domain}: ${t.text}`);
    });
    if (bad !== null) throw new Stop('permerror', `${node.domain}: ${parsed.error ?? 'syntax error'}`);
    for (const t of node.terms) {
      if (t.kind === 'redirect' || t.kind === 'exp' || t.kind === 'modifier') continue;
      if (this.mechanism(node, t, depth)) {
        this.decided = `${node.domain}: ${t.text}`;
        return QUALIFIED[t.qualifier] ?? 'pass';
      }
      if (t.kind === 'all') break;
    }
    const redirect = node.terms.find((t) => t.kind === 'redirect');
    if (!redirect || node.terms.some((t) => t.kind === 'all')) return 'neutral';
    if (!redirect.child) return 'neutral';
    const r = this.record(redirect.child, depth + 1);
    if (r === 'none') throw new Stop('permerror', `redirect=${redirect.target}: no SPF record there`);
    return r;
  }

  /** Whether the mechanism matches; throws Stop for an error that ends the evaluation. */
  private mechanism(node: SpfRecordNode, t: SpfTermNode, depth: number): boolean {
    const where = `${node.domain}: ${t.text}`;
    if (t.kind === 'all') return true;
    if (t.kind === 'ip4' || t.kind === 'ip6') return matches(this.ip, [t.target], t);
    this.count(where);
    if (t.macro && t.expanded === undefined) return false;
    if (t.kind === 'include') {
      if (!t.child) return false;
      const r = this.record(t.child, depth + 1);
      if (r === 'none') throw new Stop('permerror', `${where}: ${t.target} has no SPF record`);
      return r === 'pass';
    }
    if (t.kind === 'exists') return this.query(t.queries[0]).length > 0;
    if (t.kind === 'a') return matches(this.ip, this.query(t.queries[0]), t);
    if (t.kind === 'mx') {
      const [mx, ...hosts] = t.queries;
      const names = this.query(mx);
      if (names.length > MAX_NAMES) throw new Stop('permerror', `${where}: ${t.target} has ${names.length} MX hosts, more than ${MAX_NAMES}`);
      const addresses = hosts.flatMap((h) => this.query(h));
      return matches(this.ip, addresses, t);
    }
    // ptr (deprecated, RFC 7208 5.5): the sender's validated PTR names at or below the target.
    // A DNS error on the PTR lookup is no match, on a name's address lookup skips that name.
    const [ptr, ...hosts] = t.queries;
    const ip = this.ip;
    if (!ip || !ptr || failed(ptr)) return false;
    this.query(ptr);
    const suffix = (t.expanded ?? t.target).toLowerCase();
    // Every name's addresses are looked up (and void ones counted) before any is compared.
    const validated = hosts.filter((h) => !failed(h) && this.query(h).some((a) => sameAddress(a, ip))).map((h) => h.name.toLowerCase().replace(/\.$/, ''));
    return validated.some((name) => name === suffix || name.endsWith(`.${suffix}`));
  }

  evaluate(root: SpfRecordNode): SpfEvaluation {
    try {
      const result = this.record(root, 0);
      const reason = result === 'none' ? `${root.domain} publishes no SPF record` : this.decided ? `matched ${this.decided}` : 'no term matched (default neutral)';
      return { result, reason, lookups: this.lookups, voids: this.voids, decidedBy: this.decided };
    } catch (err) {
      if (!(err instanceof Stop)) throw err;
      return { result: err.result, reason: err.why, lookups: Math.min(this.lookups, MAX_LOOKUPS + 1), voids: this.voids, decidedBy: null };
    }
  }
}

/** What a receiver concludes for `ip` (or, without one, for a server the record does not list). */
export function evaluateSpf(root: SpfRecordNode, ip?: string): SpfEvaluation {
  return new SpfEvaluator(ip).evaluate(root);
}
