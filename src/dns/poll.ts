/** The polling loop shared by single-set and whole-zone propagation checks. */
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
