/**
 * Below a delegation the parent zone's servers answer every name with a referral (RFC 1034
 * 4.3.2: AA clear, the child's NS set in AUTHORITY, glue in ADDITIONAL): that is the right answer,
 * not a fault. A delegation is in sync when the referral's NS set is the one the API holds for the
 * cut; glue (A/AAAA of the child's nameservers) is compared where the referral carries it; any
 * other name below the cut is the child zone's to serve, so only the referral can be judged.
 */
import { canonicalName, isAtOrBelow, sameName } from './names.js';
import type { QueryResult } from './query.js';
import { compareValues, differenceText, uniqueSorted, type SetToCheck } from './propagation-compare.js';

type Ok = QueryResult & { ok: true };

export interface ReferralVerdict {
  status: 'in_sync' | 'pending';
  values: string[];
  ttl: number | null;
  detail: string;
}

const minTtl = (rrs: Array<{ ttl: number }>) => (rrs.length ? Math.min(...rrs.map((a) => a.ttl)) : null);

/** The NS set of a referral strictly below the zone's apex that covers the owner; null when the reply is not one. */
export function referralCut(set: Pick<SetToCheck, 'zone' | 'owner'>, r: Ok): { cut: string; ns: string[]; ttl: number | null } | null {
  const rrs = r.authorities.filter((a) => a.type === 'NS');
  const cut = rrs[0]?.name;
  if (r.aa || r.rcode !== 'NOERROR' || cut === undefined || sameName(cut, set.zone) || !isAtOrBelow(cut, set.zone) || !isAtOrBelow(set.owner, cut)) return null;
  const own = rrs.filter((a) => sameName(a.name, cut));
  return { cut: canonicalName(cut), ns: uniqueSorted(own.map((a) => a.value)), ttl: minTtl(own) };
}

/** Judges a referral for a set at or below a delegation; null when the reply is not such a referral. */
export function judgeReferral(set: SetToCheck, r: Ok): ReferralVerdict | null {
  const ref = referralCut(set, r);
  if (!ref) return null;
  const via = r.transport === 'tcp' ? ' (over TCP)' : '';
  const verdict = (type: string, expected: string[], values: string[], ttl: number | null, what: string): ReferralVerdict => {
    const { equal, got, want } = compareValues({ recordType: type, expected }, values);
    return { status: equal ? 'in_sync' : 'pending', values, ttl, detail: `${what}: ${equal ? 'as expected' : differenceText({}, got, want, '')}${via}` };
  };
  if (set.recordType === 'NS' && sameName(set.owner, ref.cut)) return verdict('NS', set.expected, ref.ns, ref.ttl, `referral to the delegated zone ${ref.cut}`);
  const glue = r.additionals.filter((a) => a.type === set.recordType && sameName(a.name, set.owner));
  if ((set.recordType === 'A' || set.recordType === 'AAAA') && glue.length) {
    return verdict(set.recordType, set.expected, uniqueSorted(glue.map((a) => a.value)), minTtl(glue), `glue in the referral to ${ref.cut}`);
  }
  const held = set.delegations?.get(ref.cut);
  if (!held) return { status: 'pending', values: [], ttl: null, detail: `still refers ${set.owner} to a delegation at ${ref.cut} (NS ${ref.ns.join(' | ')}) that the API does not hold` };
  // The child zone's servers answer for this name; what the parent's server can be judged on is its referral.
  const v = verdict('NS', held, ref.ns, null, `below the delegation at ${ref.cut} (the child zone's servers answer for it); the referral's NS set`);
  return { ...v, values: [] };
}
