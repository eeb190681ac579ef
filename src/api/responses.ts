import { STATUS_CODES } from 'node:http';
import type { Problem, Quoted } from '../errors.js';
import { cleanText, isRecord, parseJson, summariseBody } from './body.js';
import {
  ApiError, AuthenticationError, BadRequestError, NotFoundError, PermissionDeniedError,
  RateLimitError, ServerError, UnexpectedResponseError,
} from './errors.js';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}
/** What was asked, for messages: `path` is the API path without origin or query. */
export interface RequestInfo {
  method: string;
  path: string;
}

const TOKEN_PAGE = 'https://admin.vps.org/account/developers/';
const PERMISSION_BY_METHOD: Record<string, string> = {
  GET: 'dns:list', POST: 'dns:create', PUT: 'dns:update', PATCH: 'dns:update', DELETE: 'dns:delete',
};

export function headerValue(raw: Pick<RawResponse, 'headers'>, name: string): string | undefined {
  const v = raw.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** The JSON of a 2xx body, or an UnexpectedResponseError that summarises what came instead. */
export function readJson(raw: RawResponse, req: RequestInfo): unknown {
  const where = `${req.method} ${req.path} answered ${raw.status}`;
  if (raw.text.trim() === '') throw new UnexpectedResponseError(`${where} with an empty body where JSON was expected. The API may be having trouble; try again, and if it persists check the API URL.`, { status: raw.status });
  const parsed = parseJson(raw.text);
  if (parsed.ok) return parsed.value;
  const type = headerValue(raw, 'content-type') ?? 'no content-type';
  // The parser's reason quotes the body, and the body and its type are whatever answered: quoted, not told.
  const json = /json/i.test(type);
  const what = json ? 'malformed JSON' : 'a body that is not JSON';
  const lines = json ? [parsed.reason] : [`${cleanText(type, 60)}: ${summariseBody(raw.text)}`];
  throw new UnexpectedResponseError(`${where} with ${what} (quoted below). The response may have been cut off or the API URL may point at something other than the VPS.org API; try again, and check the API URL if it persists.`, { status: raw.status, quoted: { what: 'the answer', lines } }, !json);
}

/** The typed error for a non-2xx answer. */
export function errorForResponse(raw: RawResponse, req: RequestInfo, retryAfterMs?: number): ApiError {
  const { status } = raw;
  const parsed = parseJson(raw.text);
  const body = parsed.ok ? parsed.value : undefined;
  const said = providerText(raw, body);
  const at = `${req.method} ${req.path}`;
  if (status >= 300 && status < 400) return redirectError(raw, at);
  if (status === 400 || status === 409 || status === 422) return badRequest(status, at, body, said);
  if (status === 401) {
    return new AuthenticationError(`VPS.org rejected the API token (401 on ${at})${below(said)}. Check VPSORG_API_TOKEN: it must be a current, unrevoked token that starts with vps_. Make a new one at ${TOKEN_PAGE} if needed.`, quote(said));
  }
  if (status === 403) {
    const permission = permissionFrom(body, said) ?? PERMISSION_BY_METHOD[req.method] ?? 'dns:list';
    return new PermissionDeniedError(`The API token lacks the ${permission} permission needed for ${at} (403)${below(said)}. Create a token that has ${permission} at ${TOKEN_PAGE} and set it as VPSORG_API_TOKEN.`, permission, { details: { permission }, ...quote(said) });
  }
  if (status === 404) {
    const kind = /\/dns-records\//.test(req.path) ? 'record' : 'zone';
    const apiShaped = isRecord(body) && typeof body['detail'] === 'string';
    return new NotFoundError(`VPS.org found no such ${kind} (404 on ${at})${below(said)}. Verify the ${kind} id (list the ${kind}s to find it) and that it belongs to the account of this API token.`, quote(said), apiShaped);
  }
  if (status === 429) {
    const wait = retryAfterMs === undefined ? 'about a minute' : `${Math.max(1, Math.ceil(retryAfterMs / 1000))} seconds`;
    return new RateLimitError(`VPS.org is rate-limiting this token (429 on ${at}). Wait ${wait} before trying again.`, retryAfterMs, retryAfterMs === undefined ? {} : { details: { retryAfterMs } });
  }
  const label = `${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`;
  if (status >= 500) {
    return new ServerError(`VPS.org had a server error (${label} on ${at})${below(said)}. The problem is on the provider's side; try again in a minute.`, { status, ...quote(said) });
  }
  return new ApiError(`VPS.org answered ${label} to ${at}${below(said)}. This status is not part of the documented API; check the API URL and try again.`, { status, code: 'http_error', ...quote(said) });
}

/** The request fields of the documented API, which a message may name in its own words. */
const API_FIELDS = new Set(['name', 'record_type', 'value', 'ttl', 'priority', 'domain']);

/** The provider's words go in a data block (the renderer's job), never into the message: it says only that they follow. */
const quote = (said: string): { quoted?: Quoted } => (said ? { quoted: { what: "VPS.org's message", lines: [said] } } : {});
const below = (said: string) => (said ? "; VPS.org's message is quoted below" : '');

/** `detail` of a JSON body, or a short summary of any other body; never the raw page. */
function providerText(raw: RawResponse, body: unknown): string {
  if (isRecord(body) && typeof body['detail'] === 'string') return cleanText(body['detail']);
  if (body !== undefined) return '';
  return raw.text.trim() === '' ? '' : summariseBody(raw.text);
}

function redirectError(raw: RawResponse, at: string): ApiError {
  const location = headerValue(raw, 'location');
  let target = 'no location';
  if (location) {
    try {
      target = `host ${new URL(location).host}`;
    } catch {
      target = 'a relative location';
    }
  }
  return new UnexpectedResponseError(`${at} was redirected (${raw.status}, to ${target}); redirects are not followed. The API URL may be wrong: it should be the API's origin, such as https://admin.vps.org.`, { status: raw.status });
}

function permissionFrom(body: unknown, said: string): string | undefined {
  if (isRecord(body)) {
    for (const key of ['permission', 'required_permission']) {
      const v = body[key];
      if (typeof v === 'string' && /^dns:[a-z_]+$/.test(v)) return v;
    }
  }
  return /\bdns:[a-z_]+\b/.exec(said)?.[0];
}

function badRequest(status: number, at: string, body: unknown, said: string): ApiError {
  const problems = problemsFrom(body);
  if (problems.length === 0) {
    return new BadRequestError(`VPS.org rejected ${at} (${status})${below(said)}. Check the request fields and try again.`, { status, ...quote(said) });
  }
  const lines = problems.map((p) => `${p.field}: ${p.message}${p.rule === p.message ? '' : ` (rule: ${p.rule})`}`);
  // Field names come from the provider too: only the API's own names are repeated outside the quote.
  const fields = [...new Set(problems.map((p) => p.field).filter((f) => API_FIELDS.has(f)))];
  const first = fields[0];
  const n = problems.length;
  return new BadRequestError(`VPS.org rejected ${at} (${status}): it named ${n} problem${n === 1 ? '' : 's'}, quoted below. ${fields.length ? `Fix ${fields.join(', ')}` : 'Correct the request'} and try again.`, {
    status, ...(first ? { field: first } : {}), details: { problems }, quoted: { what: "VPS.org's message", lines },
  });
}

/** Accepts the documented `{detail, error_code, field}` and DRF's `{"field": ["msg", …]}`. */
export function problemsFrom(body: unknown, prefix = ''): Problem[] {
  if (!isRecord(body)) return [];
  const detail = body['detail'];
  if (typeof detail === 'string') {
    const field = typeof body['field'] === 'string' ? body['field'] : '(request)';
    const message = cleanText(detail);
    // Without an error_code the detail itself is the rule (and is then not repeated in messages).
    const rule = typeof body['error_code'] === 'string' ? cleanText(body['error_code'], 60) : message;
    return [{ field: cleanText(field, 60), rule, message }];
  }
  const out: Problem[] = [];
  for (const [key, value] of Object.entries(body)) {
    const field = key === 'non_field_errors' ? '(request)' : cleanText(`${prefix}${key}`, 60);
    const messages = Array.isArray(value) ? value : [value];
    for (const m of messages) {
      if (typeof m === 'string') out.push({ field, rule: cleanText(m), message: cleanText(m) });
      else if (isRecord(m)) out.push(...problemsFrom(m, `${field}.`));
    }
  }
  return out.slice(0, 20);
}
