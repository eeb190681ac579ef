import { callScope } from '../callscope.js';
import { CancelledError } from './errors.js';
import { sleep } from './retry.js';

const CANCELLED = 'The tool call was cancelled while waiting to retry; nothing more was sent.';

/**
 * Waits `ms` within the tool call's time budget and cancel signal (callscope.ts): false, at once,
 * when the wait would pass the budget (a 429 storm cannot hold one call for hours); a cancelled
 * call stops waiting at once (CancelledError).
 */
export async function waitWithin(ms: number): Promise<boolean> {
  const scope = callScope();
  if (!scope) {
    await sleep(ms);
    return true;
  }
  if (Date.now() + ms > scope.apiDeadline) return false;
  const { signal } = scope;
  if (signal.aborted) throw new CancelledError(CANCELLED);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError(CANCELLED));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return true;
}
