/** Backoff and `Retry-After` arithmetic, kept apart from the request loop so it can be unit-tested. */

/** Milliseconds the server asked for: delay-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined if absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Jittered exponential backoff: base * 2^(attempt-1), capped at 8 s, minus up to 25% jitter. */
export function backoffMs(attempt: number, baseMs: number): number {
  const exp = Math.min(baseMs * 2 ** Math.max(0, attempt - 1), Math.max(baseMs, 8_000));
  return Math.round(exp * (1 - Math.random() * 0.25));
}

/** How long to wait before the next attempt: the server's Retry-After (capped) or the backoff. */
export function waitMs(attempt: number, baseMs: number, retryAfterMs: number | undefined, capMs: number): number {
  return retryAfterMs === undefined ? backoffMs(attempt, baseMs) : Math.min(retryAfterMs, capMs);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
