/**
 * A write whose answer was lost (a time-out, a connection broken after sending, a 5xx) may have
 * been applied, or may still be: the provider can be working on it while we read back. So a
 * read-back that finds it proves it was applied, but one that does not find it proves nothing,
 * and such a write is never sent again (a second POST would make a second record). Only a request
 * that provably never left, a 429, or one the API itself answered with a 5xx and that a read-back
 * then does not find, is re-sent (transport.ts).
 */
import { isRecord, parseJson } from './body.js';
import { ApiError, ConnectionError, OutcomeUnknownError, TimeoutError } from './errors.js';
import { waitWithin } from './pause.js';
import type { RawResponse, RequestInfo } from './responses.js';
import type { Reconcile } from './transport.js';

type Debug = (msg: string) => void;

/**
 * `safe`: the server provably did nothing, re-send. `finished`: the API itself answered a 5xx, so it
 * is done with the request and a read-back is final. `unknown`: it may have applied it, or may still.
 */
export type Verdict = 'fatal' | 'safe' | 'finished' | 'unknown';

export function classify(err: ApiError, finished: boolean): Verdict {
  if (err instanceof ConnectionError) return err.sent ? 'unknown' : 'safe';
  if (err instanceof TimeoutError) return 'unknown';
  if (err.status === 429) return 'safe';
  if (err.status === 408 || (err.status !== undefined && err.status >= 500)) return finished ? 'finished' : 'unknown';
  return 'fatal';
}

/**
 * An error answer in the API's own JSON shape (a string `detail`), not a gateway's 502/504 or page:
 * the application handled the request to its end, it is not still working on it behind a proxy.
 */
export function finishedByApi(raw: RawResponse): boolean {
  if (raw.status === 502 || raw.status === 504) return false;
  const body = parseJson(raw.text);
  return body.ok && isRecord(body.value) && typeof body.value['detail'] === 'string';
}

const duration = (ms: number) => (ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`);

/** Reads back once: the applied result, or undefined if not found (yet); a failed read-back makes the outcome unknown. */
export async function readBack<T>(rec: Reconcile<T>, err: ApiError, req: RequestInfo, debug: Debug): Promise<T | undefined> {
  try {
    const found = await rec.find();
    debug(`${req.method} ${req.path}: answer lost (${err.code}); read back: ${found === undefined ? 'not found' : 'applied'}`);
    return found;
  } catch (readErr) {
    const why = readErr instanceof Error ? readErr.message : String(readErr);
    throw new OutcomeUnknownError(`${req.method} ${req.path} may or may not have been applied: ${err.message} Reading back to check failed too: ${why} ${rec.advice} before retrying, so as not to apply the change twice.`, { cause: err });
  }
}

/**
 * Looks for the write at once (its answer is often lost after it was applied) and, if it is not
 * there, again one request time-out later, when a provider that was merely slow has had as long
 * again as the client gave it. Found: the result. Not found: OutcomeUnknownError, nothing re-sent.
 */
export async function settleLost<T>(rec: Reconcile<T>, err: ApiError, req: RequestInfo, laterMs: number, debug: Debug): Promise<T> {
  const now = await readBack(rec, err, req, debug);
  if (now !== undefined) return now;
  const waited = await waitWithin(laterMs);
  const later = waited ? await readBack(rec, err, req, debug) : undefined;
  if (later !== undefined) return later;
  const looked = waited ? `at once and again ${duration(laterMs)} later` : "at once; this call's time budget left no time to look again later";
  throw new OutcomeUnknownError(`${req.method} ${req.path} may or may not have been applied: ${err.message} Reading back did not find it (${looked}), but the provider may still be processing the request, so it was not sent again: that could apply it twice. Wait a few minutes, then: ${rec.advice}; only if the change is not there, make it again.`, { cause: err });
}

/** DELETE answered a 2xx other than 204: is the target gone? A failed check makes the outcome unknown. */
export async function checkGone(gone: () => Promise<boolean>, req: RequestInfo, status: number): Promise<boolean> {
  try {
    return await gone();
  } catch (readErr) {
    const why = readErr instanceof Error ? readErr.message : String(readErr);
    throw new OutcomeUnknownError(`${req.method} ${req.path} answered ${status} instead of the API's 204, so it may or may not have been applied, and checking whether the target is gone failed: ${why} List it again before retrying.`);
  }
}

/**
 * The final error of a write one of whose attempts may have landed (its answer lost, or the call
 * cancelled in flight), when nothing since proved the outcome: an OutcomeUnknownError, so that
 * neither the message nor the journal (history/recorder.ts) says it was not applied.
 */
export function unsettled(err: unknown, req: RequestInfo): unknown {
  if (!(err instanceof ApiError) || err instanceof OutcomeUnknownError) return err;
  return new OutcomeUnknownError(`${req.method} ${req.path} may or may not have been applied: ${err.message} An attempt's answer was lost, so check the current state before retrying.`, {
    cause: err,
    ...(err.status === undefined ? {} : { status: err.status }),
    ...(err.details === undefined ? {} : { details: err.details }),
    ...(err.quoted === undefined ? {} : { quoted: err.quoted }),
  });
}
