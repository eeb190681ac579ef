import { log } from '../log.js';
import { ApiError, CancelledError, ConnectionError, OutcomeUnknownError, TimeoutError, UnexpectedResponseError } from './errors.js';
import { sendOnce, type HttpConfig } from './http.js';
import { checkGone, classify, finishedByApi, readBack, settleLost, unsettled } from './lost-answer.js';
import { waitWithin } from './pause.js';
import { redactToken } from './redact.js';
import { errorForResponse, headerValue, readJson, type RawResponse, type RequestInfo } from './responses.js';
import { parseRetryAfter, waitMs } from './retry.js';
import { observe } from '../telemetry/index.js';

/** The words of the documented API paths; every other segment (an id, a domain, a base prefix) reads as `{id}`. */
const API_WORDS = new Set(['', 'api', 'v1', 'account', 'me', 'dns-zones', 'dns-records', 'records']);

/**
 * The API path with its ids left out (`/api/v1/dns-zones/{id}/records/`): a span name or metric
 * label of bounded variety, whatever a hostile provider's pagination links or a base prefix hold.
 */
export function pathTemplate(path: string): string {
  const segments = (path.split('?')[0] ?? '').split('/').slice(0, 8);
  return segments.map((seg) => (API_WORDS.has(seg) ? seg : '{id}')).join('/');
}

export interface TransportConfig extends HttpConfig {
  /** Origin plus any path prefix, no trailing slash; API paths are appended to it. */
  base: string;
  maxRetries: number;
  retryBaseMs: number;
  maxRetryAfterMs: number;
}

/** How to read back whether a write whose answer was lost has been applied. */
export interface Reconcile<T> {
  /** The applied result if found; undefined if not found (yet: see lost-answer.ts); throws if it cannot tell. */
  find(): Promise<T | undefined>;
  /** What the user should check before retrying, e.g. "List the zone's records". */
  advice: string;
}

export interface Call<T> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API path from `path\`…\`` (already encoded), or an absolute URL already checked (pagination). */
  path: string;
  url?: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  /** Decodes a 2xx answer; `json` is undefined for an empty (204) body. */
  parse(json: unknown, req: RequestInfo): T;
  reconcile?: Reconcile<T>;
  /**
   * DELETE only: is the target gone now? Asked when the answer was a 2xx other than the documented
   * 204, since such an answer may come from something in front of the API that never passed it on.
   */
  gone?: () => Promise<boolean>;
  /** Told the size of each 2xx body, before it is decoded (a listing's byte budget). */
  onBody?: (bytes: number) => void;
}

/** Waits before a retry, within the tool call's time budget and cancel signal (pause.ts). */
async function pause(ms: number, err: ApiError): Promise<void> {
  if (!(await waitWithin(ms))) throw note(err, `(Not retried: waiting ${Math.ceil(ms / 1000)} s more would pass this call's time budget for the provider.)`);
}

/** Where the API requests go, for spans (server.address, server.port). */
function serverOf(base: string): Record<string, string | number> {
  try {
    const u = new URL(base);
    return { 'server.address': u.hostname, 'server.port': Number(u.port) || (u.protocol === 'https:' ? 443 : 80) };
  } catch {
    return {};
  }
}

export function createTransport(cfg: TransportConfig) {
  const debug = (msg: string) => log.debug(redactToken(msg, cfg.token));
  const where = serverOf(cfg.base);

  /**
   * One API exchange, logged at debug level: method, path (no origin, no query), status and
   * milliseconds. Never headers or bodies: the token rides in a header, and the log is redacted anyway.
   */
  async function timed(req: RequestInfo, attempt: number, send: () => Promise<RawResponse>): Promise<RawResponse> {
    const start = performance.now();
    const ms = () => Math.round(performance.now() - start);
    const again = attempt > 1 ? ` (attempt ${attempt})` : '';
    try {
      const attrs = { method: req.method, route: pathTemplate(req.path), ...where, attempt };
      const raw = await observe({ kind: 'api', attrs }, send, (r) => ({ outcome: String(r.status), ...(r.status >= 400 ? { error: String(r.status) } : {}) }));
      debug(`api: ${req.method} ${req.path} -> ${raw.status} in ${ms()} ms${again}`);
      return raw;
    } catch (err) {
      debug(`api: ${req.method} ${req.path} -> ${err instanceof ApiError ? err.code : 'failed'} in ${ms()} ms${again}`);
      throw err;
    }
  }

  function urlFor(call: Call<unknown>): string {
    if (call.url !== undefined) return call.url;
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(call.query ?? {})) if (v !== undefined) params.set(k, v);
    const qs = params.toString();
    return `${cfg.base}/api/v1${call.path}${qs ? `?${qs}` : ''}`;
  }

  function decode<T>(call: Call<T>, raw: RawResponse, req: RequestInfo): T {
    // Any 2xx to a DELETE means it is gone; whatever body came with it does not matter.
    if (raw.status === 204 || call.method === 'DELETE') return call.parse(undefined, req);
    return call.parse(readJson(raw, req), req);
  }

  /** Sends `call`, retrying only where that cannot apply a change twice (see classify and lost-answer.ts). */
  async function send<T>(call: Call<T>): Promise<T> {
    const req: RequestInfo = { method: call.method, path: call.url === undefined ? `/api/v1${call.path}` : new URL(call.url).pathname };
    const lost = { maybe: false };
    try {
      return await attempts(call, req, lost);
    } catch (err) {
      // A write that may have landed, with nothing since proving otherwise, is never reported as not applied.
      throw call.method !== 'GET' && lost.maybe ? unsettled(err, req) : err;
    }
  }

  async function attempts<T>(call: Call<T>, req: RequestInfo, lost: { maybe: boolean }): Promise<T> {
    const idempotent = call.method !== 'POST' && call.method !== 'PATCH';
    const url = urlFor(call as Call<unknown>);
    for (let attempt = 1; ; attempt++) {
      const last = attempt > cfg.maxRetries;
      let err: ApiError;
      let retryAfterMs: number | undefined;
      let provenNotApplied = false;
      let finished = false;
      try {
        const raw = await timed(req, attempt, () => sendOnce(cfg, { method: call.method, url, path: req.path, ...(call.body === undefined ? {} : { body: call.body }) }));
        const ok = raw.status >= 200 && raw.status < 300;
        if (ok) call.onBody?.(Buffer.byteLength(raw.text));
        if (ok && call.method === 'DELETE' && raw.status !== 204 && call.gone) {
          if (await checkGone(call.gone, req, raw.status)) return call.parse(undefined, req);
          // Answered (not lost) and still there: the delete did not happen, so sending it again is safe.
          provenNotApplied = true;
          err = new UnexpectedResponseError(`${req.method} ${req.path} answered ${raw.status} instead of the API's 204, yet the target is still there: the delete did not take effect (something in front of the API may have answered).`, { status: raw.status });
        } else if (ok) {
          try {
            return decode(call, raw, req);
          } catch (decodeErr) {
            // A write that answered 2xx was applied; an unreadable answer must not invite a duplicate.
            if (!idempotent && call.reconcile && decodeErr instanceof UnexpectedResponseError) {
              const found = await readBack(call.reconcile, decodeErr, req, debug);
              if (found !== undefined) return found;
            }
            throw decodeErr;
          }
        } else {
          // The first attempt's answer was lost but it did delete: the goal is reached.
          if (raw.status === 404 && call.method === 'DELETE' && lost.maybe) return call.parse(undefined, req);
          retryAfterMs = parseRetryAfter(headerValue(raw, 'retry-after'));
          err = errorForResponse(raw, req, retryAfterMs);
          finished = finishedByApi(raw);
        }
      } catch (thrown) {
        if (thrown instanceof CancelledError && thrown.sent) lost.maybe = true;
        // Only transport failures are candidates for a retry; anything else is final as thrown.
        if (!(thrown instanceof ConnectionError || thrown instanceof TimeoutError)) throw thrown;
        err = thrown;
      }
      const verdict = provenNotApplied ? 'safe' : classify(err, finished);
      if (verdict === 'fatal') throw err;
      if (verdict !== 'safe' && (idempotent || verdict === 'unknown')) lost.maybe = true;
      if (verdict !== 'safe' && !idempotent) {
        if (!call.reconcile) throw new OutcomeUnknownError(`${req.method} ${req.path} may or may not have been applied: ${err.message} Check the current state before retrying.`, { cause: err });
        if (verdict === 'unknown') return settleLost(call.reconcile, err, req, cfg.timeoutMs, debug);
        // `finished`: the API answered, so it is done with the request and a read-back tells the truth.
        const found = await readBack(call.reconcile, err, req, debug);
        if (found !== undefined) return found;
        if (last) throw note(err, `Reading back showed it was not applied (after ${attempt} attempts); nothing changed.`);
      } else if (last) throw attempt > 1 ? note(err, `(Gave up after ${attempt} attempts.)`) : err;
      const ms = waitMs(attempt, cfg.retryBaseMs, retryAfterMs, cfg.maxRetryAfterMs);
      debug(`${req.method} ${req.path}: ${err.code}${err.status ? ` ${err.status}` : ''} on attempt ${attempt}; retrying in ${ms} ms`);
      await pause(ms, err);
    }
  }

  /** One GET of an API path, no retries, the answer as it came (for checks that judge the answer themselves). */
  function getRaw(path: string): Promise<RawResponse> {
    const req: RequestInfo = { method: 'GET', path: `/api/v1${path}` };
    return timed(req, 1, () => sendOnce(cfg, { method: 'GET', url: `${cfg.base}${req.path}`, path: req.path }));
  }

  return { send, getRaw, base: cfg.base };
}

export type Transport = ReturnType<typeof createTransport>;

/** Appends a sentence to a fresh error's message (errors here are built per attempt, never shared). */
export function note<E extends Error>(err: E, sentence: string): E {
  err.message = `${err.message} ${sentence}`;
  return err;
}
