import type * as z from 'zod';
import { UserError } from '../errors.js';
import type { ListResult } from './types.js';
import { isRecord } from './body.js';
import { UnexpectedResponseError } from './errors.js';
import type { RequestInfo } from './responses.js';
import { parseWith } from './schema.js';
import { note, type Transport } from './transport.js';

interface Page<T> { items: T[]; next: string | null }

/** All pages of one listing together; 10k records are ~2 MB. */
export const MAX_LIST_BYTES = 64 * 1024 * 1024;

/**
 * Reads a whole list. The contract allows a bare JSON array or a DRF page
 * `{count, next, previous, results}`; `next` is followed until null, at most `maxPages` pages.
 * A failed page fails the whole list: a silently partial list would read as "records are missing".
 */
export async function listAll<T>(
  t: Transport, maxPages: number, first: { path: string; query?: Record<string, string | undefined> },
  item: z.ZodType<T>, what: string, opts: { skipMalformed?: boolean } = {},
): Promise<ListResult<T>> {
  const items: T[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  let bytes = 0;
  // Each page is capped as it streams (http.ts); the pages of one listing are capped together.
  const onBody = (n: number) => {
    bytes += n;
    if (bytes > MAX_LIST_BYTES) throw new UnexpectedResponseError(`The list of ${what} passed ${MAX_LIST_BYTES >> 20} MiB after ${items.length} items; that is not the VPS.org API. Check the API URL, or report it to VPS.org.`);
  };
  let next: string | undefined;
  for (let page = 1; page <= maxPages; page++) {
    let got: Page<T>;
    try {
      got = await t.send({ method: 'GET', ...first, ...(next === undefined ? {} : { url: next }), parse: (json, req) => parsePage(json, item, what, req, opts.skipMalformed ? skipped : undefined), onBody });
    } catch (err) {
      if (page > 1 && err instanceof UserError) {
        throw note(err, `(Listing ${what} failed on page ${page}, after ${items.length} items had been read; no partial list is returned. Try again.)`);
      }
      throw err;
    }
    items.push(...got.items);
    if (got.next === null) return { items, truncated: false, ...(skipped.length ? { skipped } : {}) };
    next = checkNext(got.next, t.base, what, page);
    if (seen.has(next)) throw new UnexpectedResponseError(`The list of ${what} loops: page ${page} points back to a page already read. The API is misbehaving; try again later.`);
    seen.add(next);
  }
  return { items, truncated: true, ...(skipped.length ? { skipped } : {}) };
}

/**
 * With `skipped`, an item not in the documented shape is left out and described there (where, and
 * the schema's complaint: our words, never the item's text), instead of failing the whole page:
 * one malformed zone must not hide every other zone of the account.
 */
function parsePage<T>(json: unknown, item: z.ZodType<T>, what: string, req: RequestInfo, skipped?: string[]): Page<T> {
  const parseItems = (list: unknown[], at: string) =>
    list.flatMap((v, i) => {
      if (!skipped) return [parseWith(item, v, `an item of ${what}`, req, `${at}[${i}]`)];
      const r = item.safeParse(v);
      if (r.success) return [r.data];
      skipped.push(`${req.path} ${at}[${i}]: ${r.error.issues.slice(0, 3).map((iss) => `${iss.path.map(String).join('.') || '(item)'}: ${iss.message}`).join('; ')}`);
      return [];
    });
  if (Array.isArray(json)) return { items: parseItems(json, ''), next: null };
  if (isRecord(json) && Array.isArray(json['results'])) {
    const next = json['next'];
    if (next !== null && next !== undefined && typeof next !== 'string') {
      throw new UnexpectedResponseError(`${req.method} ${req.path} answered with a page whose "next" is not a URL or null. The API may have changed; try again, and report it if it persists.`);
    }
    return { items: parseItems(json['results'], 'results'), next: next === undefined || next === '' ? null : next };
  }
  throw new UnexpectedResponseError(`${req.method} ${req.path} answered with something that is not a list of ${what} (expected a JSON array or a page object with "results"). Check the API URL.`);
}

/** The token goes wherever `next` points, so it must stay on the API's own origin and path. */
function checkNext(next: string, base: string, what: string, page: number): string {
  let url: URL;
  try {
    url = new URL(next, `${base}/`);
  } catch {
    throw new UnexpectedResponseError(`Page ${page} of ${what} has a "next" link that is not a URL. The API is misbehaving; try again later.`);
  }
  const baseUrl = new URL(`${base}/`);
  if (url.origin !== baseUrl.origin || !url.pathname.startsWith(`${baseUrl.pathname}api/v1/`)) {
    throw new UnexpectedResponseError(`Page ${page} of ${what} links its next page to ${url.origin === baseUrl.origin ? 'a path outside /api/v1/' : `another origin (${url.host})`}; refusing to send the API token there. Check the API URL, or report this to VPS.org.`);
  }
  return url.href;
}
