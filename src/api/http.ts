import type { Dispatcher } from 'undici';

// undici is about a megabyte of code: load it on the first API call, not at server start
// (a stdio server is started for every IDE window and runbook step; `npm run bench` measures it).
type Undici = typeof import('undici');
let undici: Promise<Undici> | undefined;
// Bundled, undici is CommonJS: its exports arrive on `default` of the dynamic import's namespace.
const loadUndici = () =>
  (undici ??= import('undici').then(
    (m) => (m as Undici & { default?: Undici }).default ?? m,
    (err: unknown) => {
      undici = undefined; // a failed load is retried by the next call, not remembered forever
      throw err;
    },
  ));
import { cleanText } from './body.js';
import { ApiError, CancelledError, ConnectionError, TimeoutError, UnexpectedResponseError } from './errors.js';
import { callScope } from '../callscope.js';
import type { RawResponse } from './responses.js';

export interface HttpConfig {
  token: string;
  timeoutMs: number;
  userAgent: string;
  dispatcher: Dispatcher | undefined;
}
export interface Outgoing {
  method: string;
  url: string;
  /** The API path for messages (no origin, no query). */
  path: string;
  body?: unknown;
}

/** A list page of 10k records is ~2 MB; anything far beyond that is not the API talking (counted as it streams). */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

// Failures that provably happen before a byte of the request is written, so even a POST may be re-sent.
const NOT_SENT = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * One HTTP exchange, no retries. The timeout applies to the headers and then, afresh, to the body,
 * so a server that sends headers and stalls (a hung proxy) cannot hold a tool call forever.
 * Redirects are never followed: undici's `request` does not, and a 3xx comes back as a response.
 */
export async function sendOnce(cfg: HttpConfig, out: Outgoing): Promise<RawResponse> {
  // The tool call's cancel signal and time budget (callscope.ts) bound every request it makes.
  const scope = callScope();
  if (scope?.signal.aborted) throw new CancelledError(`${out.method} ${out.path} was not sent: the tool call was cancelled.`);
  const left = scope ? scope.apiDeadline - Date.now() : Number.POSITIVE_INFINITY;
  if (left <= 0) throw new TimeoutError(`${out.method} ${out.path} was not sent: this tool call used up its time budget for the provider. Try again later, or narrow the request.`);
  const timeoutMs = Math.min(cfg.timeoutMs, left);
  const controller = new AbortController();
  let timedOut: 'headers' | 'body' | undefined;
  let cancelled = false;
  const onCancel = () => { cancelled = true; controller.abort(); };
  scope?.signal.addEventListener('abort', onCancel, { once: true });
  let phase: 'headers' | 'body' = 'headers';
  const arm = () => setTimeout(() => { timedOut = phase; controller.abort(); }, timeoutMs);
  let timer = arm();
  const headers: Record<string, string> = {
    authorization: `Bearer ${cfg.token}`,
    accept: 'application/json',
    'user-agent': cfg.userAgent,
  };
  if (out.body !== undefined) headers['content-type'] = 'application/json';
  try {
    const { request } = await loadUndici();
    const res = await request(out.url, {
      method: out.method as Dispatcher.HttpMethod,
      headers,
      signal: controller.signal,
      ...(out.body === undefined ? {} : { body: JSON.stringify(out.body) }),
      ...(cfg.dispatcher ? { dispatcher: cfg.dispatcher } : {}),
    });
    clearTimeout(timer);
    phase = 'body';
    timer = arm();
    const text = await readCapped(res.body, out);
    return { status: res.statusCode, headers: res.headers, text };
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (cancelled) throw new CancelledError(`${out.method} ${out.path} was abandoned: the tool call was cancelled.${out.method === 'GET' ? '' : ' The change may or may not have reached the provider; check before retrying.'}`, {}, true);
    if (timedOut) {
      const secs = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 100) / 10} s` : `${timeoutMs} ms`;
      const stalled = timedOut === 'body' ? ' (the headers came but the body stalled)' : '';
      throw new TimeoutError(`VPS.org did not answer ${out.method} ${out.path} within ${secs}${stalled}. The API may be slow or unreachable; try again later.`);
    }
    throw connectionError(err, out);
  } finally {
    clearTimeout(timer);
    scope?.signal.removeEventListener('abort', onCancel);
  }
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy(): unknown }, out: Outgoing): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      body.destroy();
      throw new UnexpectedResponseError(`${out.method} ${out.path} answered with a body over ${MAX_BODY_BYTES >> 20} MiB; that is not the VPS.org API. Check the API URL.`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string') return e.code;
  // Happy-eyeballs connects fail with an AggregateError of one error per address.
  if (Array.isArray(e.errors) && e.errors.length > 0) return errorCode(e.errors[0]);
  return e.cause === undefined ? undefined : errorCode(e.cause);
}

function connectionError(err: unknown, out: Outgoing): ApiError {
  const code = errorCode(err) ?? 'unknown error';
  const detail = cleanText(err instanceof Error ? err.message : String(err), 160);
  // The original error is replaced by a plain summary: a lower layer's error must not carry headers.
  const cause = new Error(`${code}: ${detail}`);
  if (code.startsWith('UND_ERR_INVALID') || code.startsWith('ERR_INVALID')) {
    return new ApiError(`The request ${out.method} ${out.path} could not be built (${code}: ${detail}). This is a bug in vpsorg-dns-mcp or its configuration; check the API URL.`, { code: 'request_invalid', cause });
  }
  const sent = !NOT_SENT.has(code);
  let origin = out.url;
  try { origin = new URL(out.url).origin; } catch { /* keep the raw URL */ }
  const fate = sent ? 'the connection broke after the request was sent, so it may have reached the server' : 'the request was not sent';
  return new ConnectionError(`Could not talk to the VPS.org API at ${origin} for ${out.method} ${out.path} (${code}); ${fate}. Check the network connection and the API URL, then try again.`, sent, { cause });
}
