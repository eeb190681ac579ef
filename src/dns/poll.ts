/** The polling loop shared by single-set and whole-zone propagation checks. */
import { setMaxListeners } from 'node:events';
import { UserError } from '../errors.js';
import type { NameserverAddress } from './nameservers.js';

/** Resolves after `ms`, or early when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * A round that starts just before the wait ends may run this much past it; no round may run on
 * unbounded (one slow or silent server used to cost 9 s per record set, 16 sets at a time: a
 * 30 s whole-zone wait took 202 s).
 */
export const ROUND_OVERRUN_MS = 3000;
/** Even a check without a wait gets one whole query: two UDP tries and the TCP fallback, 3 s each. */
export const MIN_CHECK_MS = 10_000;

/** The signal every query of a check runs under: the caller's, and the end of the check's time. */
export function checkLimit(waitSeconds: number | undefined, signal: AbortSignal | undefined): AbortSignal {
  const limit = AbortSignal.timeout(Math.max(MIN_CHECK_MS, Math.max(0, waitSeconds ?? 0) * 1000 + ROUND_OVERRUN_MS));
  const both = signal ? AbortSignal.any([signal, limit]) : limit;
  // Every query in flight listens on it (hundreds in a whole-zone round): not a leak.
  setMaxListeners(0, both);
  return both;
}

export function checkNameserverList(nameservers: NameserverAddress[]): void {
  if (nameservers.length === 0) {
    throw new UserError('No nameserver address to check', { code: 'validation', field: 'nameservers', hint: 'Set VPSORG_NAMESERVERS or pass nameservers (host, host:port, ip:port or host=ip:port); none of the configured hosts resolved.' });
  }
}

/** Runs rounds until `isDone` or the wait is over; calls `progress` after every round. */
export async function pollRounds<T>(opts: { waitSeconds?: number | undefined; pollIntervalMs?: number | undefined; signal?: AbortSignal | undefined }, round: () => Promise<T>, isDone: (r: T) => boolean, progress: (r: T, n: number, elapsedMs: number) => void | Promise<void>): Promise<{ last: T; rounds: number; elapsedMs: number }> {
  const started = performance.now();
  const waitMs = Math.max(0, (opts.waitSeconds ?? 0) * 1000);
  const interval = Math.max(10, opts.pollIntervalMs ?? 2000);
  for (let n = 1; ; n++) {
    const last = await round();
    const elapsedMs = Math.round(performance.now() - started);
    try {
      await progress(last, n, elapsedMs);
    } catch {
      // a failing progress sink (e.g. a closed connection) must not lose the result
    }
    const remaining = waitMs - elapsedMs;
    if (isDone(last) || remaining <= 0 || opts.signal?.aborted) return { last, rounds: n, elapsedMs };
    await sleep(Math.min(interval, remaining), opts.signal);
    if (opts.signal?.aborted) return { last, rounds: n, elapsedMs: Math.round(performance.now() - started) };
  }
}
