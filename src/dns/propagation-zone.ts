/**
 * Whole-zone mode (after a bulk import): every record set of the zone, with a bound on how many
 * sets are in flight at once so a large zone does not open hundreds of sockets. Each server's
 * SOA serial is fetched once per round and shared by all sets.
 */
import type { NameserverAddress } from './nameservers.js';
import { assertQueryName, canonicalName } from './names.js';
import { checkLimit, checkNameserverList, pollRounds } from './poll.js';
import { checkSetOnce, delegationsOf, fetchSerial, queryTuning, setToCheck, type PropagationResult, type SetToCheck } from './propagation-check.js';

export interface ZonePropagationInput {
  zone: string;
  recordSets: Array<{ name: string; recordType: string; expected: string[] }>;
  nameservers: NameserverAddress[];
  /** Record sets checked at the same time (default 4). */
  concurrency?: number;
  waitSeconds?: number;
  pollIntervalMs?: number;
  timeoutMs?: number;
  tries?: number;
  signal?: AbortSignal;
  onProgress?: (p: { round: number; setsInSync: number; totalSets: number; elapsedMs: number }) => void | Promise<void>;
}

export interface ZonePropagationResult {
  zone: string;
  propagated: boolean;
  serials_agree: boolean;
  /** SOA serial per server address (`address:port`), null where it could not be read. */
  serials: Record<string, number | null>;
  sets: PropagationResult[];
  sets_in_sync: number;
  total_sets: number;
  rounds: number;
  elapsed_ms: number;
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return out;
}

const key = (ns: NameserverAddress) => `${ns.address}:${ns.port}`;

export async function checkZonePropagation(input: ZonePropagationInput): Promise<ZonePropagationResult> {
  checkNameserverList(input.nameservers);
  const zone = assertQueryName(input.zone, 'zone');
  const cuts = delegationsOf(zone, input.recordSets);
  const sets: SetToCheck[] = input.recordSets.map((s) => setToCheck(zone, s.name, s.recordType, s.expected, false, cuts));
  const tuning = queryTuning({ ...input, signal: checkLimit(input.waitSeconds, input.signal) });
  let results: Array<PropagationResult | undefined> = sets.map(() => undefined);
  let serials: Record<string, number | null> = {};

  const round = async () => {
    const fetched = new Map(input.nameservers.map((ns) => [key(ns), fetchSerial(ns, zone, tuning)]));
    const serialFor = (ns: NameserverAddress) => fetched.get(key(ns)) ?? Promise.resolve(null);
    // Sets already in sync are not asked again; the latest serials still come from this round.
    const todo = sets.map((s, i) => ({ s, i })).filter(({ i }) => !results[i]?.propagated);
    const fresh = await mapLimited(todo, input.concurrency ?? 4, ({ s }) => checkSetOnce(s, input.nameservers, tuning, serialFor));
    results = results.slice();
    todo.forEach(({ i }, j) => (results[i] = fresh[j]));
    serials = Object.fromEntries(await Promise.all([...fetched].map(async ([k, p]) => [k, await p] as const)));
    return results as PropagationResult[];
  };
  const { last, rounds, elapsedMs } = await pollRounds(
    input,
    round,
    (r) => r.every((s) => s.propagated),
    (r, n, ms) => input.onProgress?.({ round: n, setsInSync: r.filter((s) => s.propagated).length, totalSets: r.length, elapsedMs: ms }),
  );
  const values = Object.values(serials);
  return {
    zone: canonicalName(zone),
    propagated: last.every((s) => s.propagated),
    serials_agree: values.length > 0 && values.every((v) => v !== null && v === values[0]),
    serials,
    sets: last,
    sets_in_sync: last.filter((s) => s.propagated).length,
    total_sets: last.length,
    rounds,
    elapsed_ms: elapsedMs,
  };
}
