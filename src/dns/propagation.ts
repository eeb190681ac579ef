/**
 * "Is it live yet?": compares what each authoritative nameserver address serves with what the
 * API says, optionally polling until every address agrees or the time is up.
 */
import type { NameserverAddress } from './nameservers.js';
import { assertQueryName } from './names.js';
import { checkLimit, checkNameserverList, pollRounds } from './poll.js';
import { checkSetOnce, delegationsOf, queryTuning, setToCheck, type PropagationResult } from './propagation-check.js';

export type { PropagationResult, ServerStatus } from './propagation-check.js';
export { sleep } from './poll.js';
export { checkZonePropagation, type ZonePropagationInput, type ZonePropagationResult } from './propagation-zone.js';

export interface PropagationProgress {
  round: number;
  inSync: number;
  total: number;
  elapsedMs: number;
}

export interface PropagationInput {
  /** The zone's domain. */
  zone: string;
  /** Relative (`www`, `@`) or fully qualified. */
  name: string;
  recordType: string;
  /** Values in the API's format (MX/SRV may carry the priority in front); [] means "must not exist". */
  expected: string[];
  /** true: in sync once every expected value is among those served (ACME: the apex's and the wildcard's values share one name). */
  includes?: boolean;
  /** The zone's NS sets below its apex as the API holds them: a name below one is answered with a referral, judged against them. */
  delegations?: Array<{ name: string; expected: string[] }>;
  nameservers: NameserverAddress[];
  /** Poll until propagated or this many seconds have passed (default 0: one round). */
  waitSeconds?: number;
  /** Default 2000 ms. */
  pollIntervalMs?: number;
  /** Per query try (default 3000 ms) and UDP tries (default 2). */
  timeoutMs?: number;
  tries?: number;
  signal?: AbortSignal;
  onProgress?: (p: PropagationProgress) => void | Promise<void>;
}

export async function checkPropagation(input: PropagationInput): Promise<PropagationResult> {
  checkNameserverList(input.nameservers);
  const zone = assertQueryName(input.zone, 'zone');
  const cuts = delegationsOf(zone, (input.delegations ?? []).map((d) => ({ ...d, recordType: 'NS' })));
  const set = setToCheck(zone, input.name, input.recordType, input.expected, input.includes, cuts);
  const tuning = queryTuning({ ...input, signal: checkLimit(input.waitSeconds, input.signal) });
  const { last, rounds, elapsedMs } = await pollRounds(
    input,
    () => checkSetOnce(set, input.nameservers, tuning),
    (r) => r.propagated,
    (r, round, ms) => input.onProgress?.({ round, inSync: r.servers.filter((s) => s.status === 'in_sync').length, total: r.servers.length, elapsedMs: ms }),
  );
  return { ...last, rounds, elapsed_ms: elapsedMs };
}
