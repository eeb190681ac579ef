import type { Reply } from './http.js';
import type { Call } from './router.js';

function pageUrl(call: Call, page: number): string {
  const query = new URLSearchParams(call.query);
  // Like DRF's PageNumberPagination: the link to page 1 drops the page parameter.
  if (page === 1) query.delete('page');
  else query.set('page', String(page));
  const qs = query.toString();
  return `${call.origin}${call.path}${qs ? `?${qs}` : ''}`;
}

/** A list answer: a bare array, or (with a page size) a DRF page object with absolute links. */
export function listReply(call: Call, items: unknown[]): Reply {
  const size = call.pageSize;
  if (size === null) return { status: 200, body: items };
  const pages = Math.max(1, Math.ceil(items.length / size));
  const raw = call.query.get('page');
  const page = raw === null ? 1 : raw === 'last' ? pages : /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(page >= 1 && page <= pages)) return { status: 404, body: { detail: 'Invalid page.' } };
  return {
    status: 200,
    body: {
      count: items.length,
      next: page < pages ? pageUrl(call, page + 1) : null,
      previous: page > 1 ? pageUrl(call, page - 1) : null,
      results: items.slice((page - 1) * size, page * size),
    },
  };
}
