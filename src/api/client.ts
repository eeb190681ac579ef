import type { Dispatcher } from 'undici';
import type * as z from 'zod';
import { ConfigError } from '../errors.js';
import { addSecret, log } from '../log.js';
import { NotFoundError, UnexpectedResponseError } from './errors.js';
import { checkToken, sanitizeError } from './guard.js';
import { listAll } from './pagination.js';
import { path } from './path.js';
import { normaliseName, patchApplied, sameRecord } from './reconcile.js';
import type { RequestInfo } from './responses.js';
import { parseWith } from './schema.js';
import { createTransport } from './transport.js';
import { apiIdentity } from './identity.js';
import { AccountInfoSchema, DnsRecordSchema, ZoneDetailSchema, ZoneSummarySchema, type VpsApi } from './types.js';

export interface ApiClientOptions {
  /** e.g. https://admin.vps.org; the client appends /api/v1/… */
  baseUrl: string;
  token: string | undefined;
  /** Per attempt, for the headers and again for the body (default 15000). */
  timeoutMs?: number;
  /** Retries after the first attempt, where retrying is safe (default 3). */
  maxRetries?: number;
  /** Bound on pages followed in one list (default 100); a cut list has `truncated: true`. */
  maxPages?: number;
  /** Base of the jittered exponential backoff (default 250). */
  retryBaseMs?: number;
  /** Cap on an honoured Retry-After (default 30000). */
  maxRetryAfterMs?: number;
  userAgent?: string;
  dispatcher?: Dispatcher;
}

/**
 * The VPS.org REST client. Every method refuses a missing/malformed token before sending, and
 * every error it throws is a UserError (see errors.ts) with the token redacted.
 */
export function createApiClient(opts: ApiClientOptions): VpsApi {
  const token = opts.token?.trim() || undefined;
  addSecret(token);
  const t = createTransport({
    base: normaliseBase(opts.baseUrl),
    token: token ?? '',
    timeoutMs: opts.timeoutMs ?? 15_000,
    maxRetries: opts.maxRetries ?? 3,
    retryBaseMs: opts.retryBaseMs ?? 250,
    maxRetryAfterMs: opts.maxRetryAfterMs ?? 30_000,
    userAgent: opts.userAgent ?? 'vpsorg-dns-mcp',
    dispatcher: opts.dispatcher,
  });
  const maxPages = opts.maxPages ?? 100;
  const one = <T>(schema: z.ZodType<T>, what: string) => (json: unknown, req: RequestInfo) => parseWith(schema, json, what, req);
  const none = () => undefined;

  const api: VpsApi = {
    whoami: () => t.send({ method: 'GET', path: '/account/me/', parse: one(AccountInfoSchema, 'account information') }),
    listZones: (filter) => listAll(t, maxPages, { path: '/dns-zones/', query: { domain: filter?.domain } }, ZoneSummarySchema, 'zones', { skipMalformed: true }).then((res) => {
      if (res.skipped) log.warn(`api: ${res.skipped.length} zone(s) in the listing are not in the documented shape and were left out: ${res.skipped.join(' | ')}`);
      return res;
    }),
    getZone: (id) => t.send({ method: 'GET', path: path`/dns-zones/${id}/`, parse: one(ZoneDetailSchema, 'a zone') }),
    createZone: (domain) => t.send({
      method: 'POST', path: '/dns-zones/', body: { domain }, parse: one(ZoneDetailSchema, 'the new zone'),
      reconcile: {
        advice: `List the zones (filter by domain ${domain})`,
        find: async () => {
          const zones = await api.listZones({ domain });
          const hit = zones.items.find((z) => normaliseName(z.domain) === normaliseName(domain));
          if (hit) return api.getZone(hit.uuid);
          if (zones.truncated) throw new UnexpectedResponseError('the zone list was cut at the page bound, so the zone\'s absence could not be proven.');
          if (zones.skipped) throw new UnexpectedResponseError('the zone list held zones not in the documented shape, so the zone\'s absence could not be proven.');
          return undefined;
        },
      },
    }),
    deleteZone: (id) => t.send({ method: 'DELETE', path: path`/dns-zones/${id}/`, parse: none, gone: () => absent(api.getZone(id)) }),
    listZoneRecords: (id) => listAll(t, maxPages, { path: path`/dns-zones/${id}/records/` }, DnsRecordSchema, 'records'),
    createRecord: (zoneId, body) => t.send({
      method: 'POST', path: path`/dns-zones/${zoneId}/records/`, body, parse: one(DnsRecordSchema, 'the new record'),
      reconcile: {
        advice: `List the records of zone ${zoneId} and look for ${body.record_type} ${body.name}`,
        find: async () => {
          const zone = await api.getZone(zoneId);
          const records = await api.listZoneRecords(zoneId);
          const hit = records.items.find((r) => sameRecord(body, r, zone.domain));
          if (!hit && records.truncated) throw new UnexpectedResponseError('the record list was cut at the page bound, so the record\'s absence could not be proven.');
          return hit;
        },
      },
    }),
    searchRecords: (filter) => listAll(t, maxPages, { path: '/dns-records/', query: { zone: filter.zone, record_type: filter.record_type } }, DnsRecordSchema, 'records'),
    getRecord: (id) => t.send({ method: 'GET', path: path`/dns-records/${id}/`, parse: one(DnsRecordSchema, 'a record') }),
    putRecord: (id, body) => t.send({ method: 'PUT', path: path`/dns-records/${id}/`, body, parse: one(DnsRecordSchema, 'the updated record') }),
    patchRecord: (id, body) => t.send({
      method: 'PATCH', path: path`/dns-records/${id}/`, body, parse: one(DnsRecordSchema, 'the updated record'),
      reconcile: {
        advice: `Get record ${id} and compare it with the change`,
        find: async () => {
          const held = await api.getRecord(id);
          return patchApplied(body, held) ? held : undefined;
        },
      },
    }),
    deleteRecord: (id) => t.send({ method: 'DELETE', path: path`/dns-records/${id}/`, parse: none, gone: () => absent(api.getRecord(id)) }),
  };
  return guarded(api, token, apiIdentity(t.base, t.getRaw));
}

/** True when the read answers 404 (the target is gone), false when it finds the target; other failures propagate. */
async function absent(read: Promise<unknown>): Promise<boolean> {
  try {
    await read;
    return false;
  } catch (err) {
    if (err instanceof NotFoundError) return true;
    throw err;
  }
}

/** Wraps every method: the token check comes first, and every error leaves sanitized. */
function guarded(api: VpsApi, token: string | undefined, explain: (err: unknown) => Promise<unknown>): VpsApi {
  const out = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(api) as Array<[string, (...a: unknown[]) => Promise<unknown>]>) {
    out[name] = async (...args: unknown[]) => {
      try {
        checkToken(token);
        return await fn(...args);
      } catch (err) {
        throw sanitizeError(await explain(err), token);
      }
    };
  }
  return out as unknown as VpsApi;
}

/** Origin plus any path prefix, without a trailing slash or a pasted /api/v1 suffix. */
function normaliseBase(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConfigError(`The VPS.org API URL "${baseUrl}" is not a URL; use e.g. https://admin.vps.org.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(`The VPS.org API URL must use https:// (got ${url.protocol}).`);
  if (url.username || url.password || url.search || url.hash) throw new ConfigError('The VPS.org API URL must not contain credentials, a query or a fragment; use e.g. https://admin.vps.org.');
  const prefix = url.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  return `${url.origin}${prefix}`;
}
