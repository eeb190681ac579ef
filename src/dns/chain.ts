/**
 * Reading a CNAME chain out of one authoritative answer, for the live audit's resolvers
 * (live-resolver.ts, preview-resolver.ts).
 */
import type { LiveRr } from '../audit/live/types.js';
import { canonicalName, isAtOrBelow, sameName } from './names.js';

/** A CNAME chain longer than this is a loop or a mistake (resolvers give up around 8-16). */
export const MAX_CHAIN = 8;

export const rr = (r: { name: string; type: string; ttl: number; value: string }): LiveRr => ({ name: r.name, type: r.type, ttl: r.ttl, value: r.value });

/**
 * One answer section read as a resolver reads it: the CNAME chain from `name` that it holds (loops
 * and chains past MAX_CHAIN stop), the name the chain ends at, and the `type` RRs found there.
 * Only records at or below `zone`, the cut the server was asked as, count (bailiwick): a server
 * may not assert records for names it does not own; a chain leaving `zone` ends where it leaves
 * (`outside`), and the rest is asked of its own zone.
 */
export function followChain(answers: readonly LiveRr[], name: string, type: string, zone: string): { cnames: LiveRr[]; at: string; records: LiveRr[]; outside: boolean } {
  const own = answers.filter((a) => isAtOrBelow(a.name, zone));
  const cnames: LiveRr[] = [];
  let at = canonicalName(name);
  while (type !== 'CNAME' && cnames.length <= MAX_CHAIN && isAtOrBelow(at, zone)) {
    const c = own.find((a) => a.type === 'CNAME' && sameName(a.name, at));
    if (!c || cnames.some((x) => sameName(x.name, c.value))) break;
    cnames.push(rr(c));
    at = canonicalName(c.value);
  }
  return { cnames, at, records: own.filter((a) => a.type === type && sameName(a.name, at)).map(rr), outside: !isAtOrBelow(at, zone) };
}
