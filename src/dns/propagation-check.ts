/**
 * One round of a propagation check for one record set: every nameserver address is asked in
 * parallel, directly and with recursion off, and judged on its own (lego does the same: a
 * change is live only when every authoritative server serves it).
 */
import type { NameserverAddress } from './nameservers.js';
import { assertQueryName, canonicalName, ownerName, sameName } from './names.js';
import { queryDns, type QueryResult } from './query.js';
import { canonicalValue, soaSerial } from './values.js';
import { compareValues, differenceText, uniqueSorted, type SetToCheck } from './propagation-compare.js';
import { judgeReferral } from './propagation-referral.js';

export type { SetToCheck } from './propagation-compare.js';

export interface ServerStatus {
  host: string;
  address: string;
  port: number;
  status: 'in_sync' | 'pending' | 'error';
  values: string[];
  ttl: number | null;
  aa: boolean | null;
  serial: number | null;
  rttMs: number;
  rcode: string | null;
  detail: string;
}

export interface PropagationResult {
  zone: string;
  name: string;
  record_type: string;
  expected: string[];
  propagated: boolean;
  serials_agree: boolean;
  servers: ServerStatus[];
  rounds: number;
  elapsed_ms: number;
  /** Largest TTL any server returned for the set: how long resolvers may keep an answer. */
  max_ttl_seen: number | null;
  /** Negative-caching TTL (RFC 2308) from NXDOMAIN/NODATA answers, when any server gave one. */
  negative_ttl: number | null;
}

export interface QueryTuning {
  timeoutMs?: number;
  tries?: number;
  signal?: AbortSignal | undefined;
}

export type SerialLookup = (ns: NameserverAddress) => Promise<number | null>;

/** The zone's SOA serial as one server sees it, or null when it cannot tell (error, not authoritative). */
export async function fetchSerial(ns: NameserverAddress, zone: string, tuning: QueryTuning): Promise<number | null> {
  const r = await queryDns(ns, zone, 'SOA', tuning);
  if (!r.ok || r.rcode !== 'NOERROR' || !r.aa) return null;
  const soa = r.answers.find((a) => a.type === 'SOA' && sameName(a.name, zone));
  return soa ? soaSerial(soa.value) : null;
}

function negativeTtl(r: QueryResult & { ok: true }): number | null {
  const soa = r.authorities.find((a) => a.type === 'SOA');
  if (!soa) return null;
  const minimum = Number(soa.value.split(' ')[6]);
  return Number.isFinite(minimum) ? Math.min(soa.ttl, minimum) : soa.ttl;
}

const RCODE_HINT: Record<string, string> = {
  REFUSED: 'the server refused: it does not serve this zone (or does not allow this query)',
  SERVFAIL: 'the server failed to answer: the zone may be broken or not loaded there',
  NOTAUTH: 'the server is not authoritative for this zone',
  FORMERR: 'the server could not parse the query',
  NOTIMP: 'the server does not implement this query',
};

function judge(ns: NameserverAddress, set: SetToCheck, r: QueryResult, serial: number | null): ServerStatus & { negTtl: number | null } {
  const base = { host: ns.host, address: ns.address, port: ns.port, serial, rttMs: r.rttMs, negTtl: null as number | null };
  if (!r.ok) return { ...base, status: 'error', values: [], ttl: null, aa: null, rcode: null, detail: `${r.kind}: ${r.error}` };
  const head = { ...base, aa: r.aa, rcode: r.rcode };
  if (r.rcode !== 'NOERROR' && r.rcode !== 'NXDOMAIN') {
    return { ...head, status: 'error', values: [], ttl: null, detail: `${r.rcode}: ${RCODE_HINT[r.rcode] ?? 'unexpected response code'}` };
  }
  const referral = judgeReferral(set, r);
  if (referral) return { ...head, ...referral };
  if (!r.aa) {
    const referral = r.authorities.some((a) => a.type === 'NS');
    return { ...head, status: 'error', values: [], ttl: null, detail: `not authoritative for ${set.zone} (no AA flag${referral ? '; it sent a referral' : ''}): this server does not serve the zone` };
  }
  const matching = r.answers.filter((a) => a.type === set.recordType && sameName(a.name, set.owner));
  const values = uniqueSorted(matching.map((a) => a.value));
  const ttl = matching.length ? Math.min(...matching.map((a) => a.ttl)) : null;
  const { equal, got, want } = compareValues(set, values);
  const negTtl = matching.length ? null : negativeTtl(r);
  const via = r.transport === 'tcp' ? ' (over TCP)' : '';
  let detail: string;
  if (equal && set.includes) detail = `serves the expected value${want.length > 1 ? 's' : ''} (${values.length} value${values.length > 1 ? 's' : ''} there)${via}`;
  else if (equal) detail = values.length ? `serves the expected ${values.length} value${values.length > 1 ? 's' : ''}${via}` : `${r.rcode === 'NXDOMAIN' ? 'NXDOMAIN' : 'no such record'}, as expected`;
  else if (r.rcode === 'NXDOMAIN') detail = `NXDOMAIN: the name does not exist there yet`;
  else if (!values.length) {
    const cname = r.answers.find((a) => a.type === 'CNAME' && sameName(a.name, set.owner));
    detail = cname ? `no ${set.recordType} record: the name is a CNAME to ${cname.value}` : `NODATA: the name exists but has no ${set.recordType} record there yet`;
  } else detail = differenceText(set, got, want, via);
  return { ...head, status: equal ? 'in_sync' : 'pending', values, ttl, negTtl, detail };
}

/** Checks one record set on every address once; `serialFor` lets a caller share SOA lookups. */
export async function checkSetOnce(set: SetToCheck, nameservers: NameserverAddress[], tuning: QueryTuning, serialFor?: SerialLookup): Promise<PropagationResult> {
  const started = performance.now();
  const getSerial = serialFor ?? ((ns: NameserverAddress) => fetchSerial(ns, set.zone, tuning));
  const judged = await Promise.all(
    nameservers.map(async (ns) => {
      const [r, serial] = await Promise.all([queryDns(ns, set.owner, set.recordType, tuning), getSerial(ns)]);
      return judge(ns, set, r, serial);
    }),
  );
  const servers: ServerStatus[] = judged.map(({ negTtl: _n, ...s }) => s);
  const serials = servers.map((s) => s.serial);
  const ttls = servers.map((s) => s.ttl).filter((t): t is number => t !== null);
  const negs = judged.map((s) => s.negTtl).filter((t): t is number => t !== null);
  return {
    zone: canonicalName(set.zone),
    name: set.owner,
    record_type: set.recordType,
    expected: uniqueSorted(set.expected),
    propagated: servers.length > 0 && servers.every((s) => s.status === 'in_sync'),
    serials_agree: servers.length > 0 && serials.every((s) => s !== null && s === serials[0]),
    servers,
    rounds: 1,
    elapsed_ms: Math.round(performance.now() - started),
    max_ttl_seen: ttls.length ? Math.max(...ttls) : null,
    negative_ttl: negs.length ? Math.max(...negs) : null,
  };
}

/** Canonical expected values for a check (same normalisation as the wire side). */
function canonicalExpected(recordType: string, expected: string[], zone: string): string[] {
  return expected.map((v) => canonicalValue(recordType, v, null, zone));
}

/** One record set of `zone` (already checked with assertQueryName) as a check compares it; throws when the owner cannot be queried. */
export function setToCheck(zone: string, name: string, recordType: string, expected: string[], includes = false, delegations?: ReadonlyMap<string, string[]>): SetToCheck {
  const type = recordType.toUpperCase();
  return { zone, owner: assertQueryName(ownerName(zone, name), 'name'), recordType: type, expected: canonicalExpected(type, expected, zone), ...(includes ? { includes } : {}), ...(delegations ? { delegations } : {}) };
}

/** The zone's delegations (NS sets below the apex) among its record sets: cut FQDN -> canonical NS values. */
export function delegationsOf(zone: string, sets: ReadonlyArray<{ name: string; recordType: string; expected: string[] }>): Map<string, string[]> {
  const cuts = sets.filter((s) => s.recordType.toUpperCase() === 'NS' && !sameName(ownerName(zone, s.name), zone));
  return new Map(cuts.map((s) => [ownerName(zone, s.name), uniqueSorted(canonicalExpected('NS', s.expected, zone))]));
}

export function queryTuning(input: { signal?: AbortSignal | undefined; timeoutMs?: number | undefined; tries?: number | undefined }): QueryTuning {
  return { signal: input.signal, ...(input.timeoutMs !== undefined ? { timeoutMs: input.timeoutMs } : {}), ...(input.tries !== undefined ? { tries: input.tries } : {}) };
}
