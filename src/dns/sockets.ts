/**
 * A process-wide bound on open DNS sockets: every UDP or TCP exchange holds one slot. Past the
 * bound, exchanges wait their turn instead of exhausting file descriptors (one call once opened
 * thousands). A slot is handed straight to the next waiter, so the bound is never overshot.
 */
export const MAX_DNS_SOCKETS = 256;

let inUse = 0;
const waiting: Array<() => void> = [];

/** Sockets open now and exchanges waiting for one (for tests and diagnostics). */
export function dnsSocketStats(): { inUse: number; waiting: number } {
  return { inUse, waiting: waiting.length };
}

function acquire(signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  if (inUse < MAX_DNS_SOCKETS) {
    inUse++;
    return Promise.resolve(true);
  }
  return new Promise((resolve) => {
    const onAbort = () => {
      const i = waiting.indexOf(grant);
      if (i >= 0) waiting.splice(i, 1);
      resolve(false);
    };
    const grant = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    };
    waiting.push(grant);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function release(): void {
  const next = waiting.shift();
  if (next) next();
  else inUse--;
}

/** Runs one exchange holding a socket slot; `onAborted` answers if the call is cancelled while waiting. */
export async function withDnsSocket<T>(signal: AbortSignal | undefined, run: () => Promise<T>, onAborted: () => T): Promise<T> {
  if (!(await acquire(signal))) return onAborted();
  try {
    return await run();
  } finally {
    release();
  }
}
