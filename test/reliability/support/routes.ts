/**
 * The documented API (shared/vpsorg-api.md) as method + path patterns, to check the emulator's
 * request log: every id must arrive as one percent-encoded path segment, never as a dot segment,
 * and only the documented query parameters may appear.
 */
import type { RequestLogEntry } from '../../../src/emulator/types.js';

const SEG = '(?!(?:\\.|%2e){1,2}/)[^/]+';
const ROUTES: Array<[string[], RegExp]> = [
  [['GET'], /^\/api\/v1\/account\/me\/$/],
  [['GET', 'POST'], /^\/api\/v1\/dns-zones\/$/],
  [['GET', 'DELETE'], new RegExp(`^/api/v1/dns-zones/${SEG}/$`, 'i')],
  [['GET', 'POST'], new RegExp(`^/api/v1/dns-zones/${SEG}/records/$`, 'i')],
  [['GET'], /^\/api\/v1\/dns-records\/$/],
  [['GET', 'PUT', 'PATCH', 'DELETE'], new RegExp(`^/api/v1/dns-records/${SEG}/$`, 'i')],
];
const QUERY_KEYS = new Set(['domain', 'zone', 'record_type', 'page']);

/** Why this request is outside the documented API, or undefined when it is inside. */
export function offApi(r: Pick<RequestLogEntry, 'method' | 'path' | 'query'>): string | undefined {
  const route = ROUTES.find(([, re]) => re.test(r.path));
  if (!route) return `${r.method} ${r.path}: no such documented path`;
  if (!route[0].includes(r.method)) return `${r.method} ${r.path}: method not documented for this path`;
  for (const key of new URLSearchParams(r.query).keys()) {
    if (!QUERY_KEYS.has(key)) return `${r.method} ${r.path}?${r.query}: undocumented query parameter ${key}`;
  }
  return undefined;
}
