/**
 * Is VPSORG_API_URL the VPS.org API at all? A web site or a wrong path prefix answers 404 or an
 * HTML page to every path; without this check its 404 reads as "no such zone" and its page as
 * "a body that is not JSON". On the first such answer, GET /account/me/ decides: the API answers
 * it for any token with JSON (200 with the account, or 401/403 with a `detail`). Once the answer
 * looked right it is not asked again; a wrong answer is asked again next time (a proxy may recover).
 */
import { isRecord, parseJson, summariseBody } from './body.js';
import { ApiError, NotFoundError, UnexpectedResponseError } from './errors.js';
import type { RawResponse } from './responses.js';
import type { Quoted } from '../errors.js';

const PROBE = '/account/me/';

/** Why `raw` (the answer to GET /account/me/) is not the API's, or undefined when it looks like it. */
export function notTheApi(raw: RawResponse): string | undefined {
  const parsed = parseJson(raw.text);
  const body = parsed.ok ? parsed.value : undefined;
  if (raw.status === 200 && isRecord(body) && (isRecord(body['account']) || isRecord(body['token']))) return undefined;
  if ((raw.status === 401 || raw.status === 403) && isRecord(body) && typeof body['detail'] === 'string') return undefined;
  const type = String(raw.headers['content-type'] ?? '');
  const what = raw.text.trim() === ''
    ? 'an empty body'
    : parsed.ok
      ? 'JSON that is not the account information'
      : /html/i.test(type) || /^\s*</.test(raw.text) ? 'an HTML page (its title or start is quoted below)' : 'a body that is not JSON (its start is quoted below)';
  return `GET /api/v1${PROBE} (which the API answers for any token) answered ${raw.status} with ${what}`;
}

/**
 * Answers a host other than the API would give: a 404 without the API's JSON `detail`, a 2xx that
 * is not JSON at all, a status the API does not use. (A redirect already says to check the URL.)
 */
function suspicious(err: unknown): boolean {
  if (err instanceof NotFoundError) return !err.apiShaped;
  if (err instanceof UnexpectedResponseError) return err.foreign;
  return err instanceof ApiError && err.code === 'http_error';
}

export function apiIdentity(base: string, getRaw: (path: string) => Promise<RawResponse>) {
  let verified = false;
  /** Replaces `err` with a wrong-URL error when the API URL does not answer like the API; otherwise returns it. */
  return async function explain(err: unknown): Promise<unknown> {
    if (verified || !suspicious(err)) return err;
    let why: string | undefined;
    let page: Quoted | undefined;
    try {
      const raw = await getRaw(PROBE);
      why = notTheApi(raw);
      // Whatever answered there wrote that page: quoted, never part of the message.
      if (why?.includes('quoted below')) page = { what: `the answer to GET /api/v1${PROBE}`, lines: [summariseBody(raw.text, 60)] };
    } catch {
      return err; // cannot tell (network, timeout): the first error stands
    }
    if (why === undefined) {
      verified = true;
      return err;
    }
    // Which request met which answer, not the API-specific reading of it ("no such zone").
    const msg = err instanceof Error ? err.message : String(err);
    const at = /\b(GET|POST|PUT|PATCH|DELETE) (\/api\/v1\/\S*?)(?=[\s):,]|$)/.exec(msg);
    const status = err instanceof ApiError && err.status !== undefined ? ` ${err.status}` : ' unexpectedly';
    const first = at ? `${at[1]} ${at[2]} answered${status}` : `a request was answered${status}`;
    return new ApiError(`VPSORG_API_URL (${base}) does not look like the VPS.org API: ${first}, and ${why}; check the URL: it should be the API's origin, such as https://admin.vps.org (the server adds /api/v1/).`, { code: 'wrong_api_url', field: 'VPSORG_API_URL', cause: err, quoted: page });
  };
}
