import type { Reply } from './http.js';
import type { Store } from './store.js';
import type { EmulatorToken } from './types.js';
import type { AccountProfile } from './accounts.js';

/** One authenticated API call, as a route handler sees it. */
export interface Call {
  params: string[];
  path: string;
  query: URLSearchParams;
  /** The JSON object body; throws a 400 parse_error ApiError when it is not one. */
  body: () => Record<string, unknown>;
  account: string;
  token: EmulatorToken;
  profile: AccountProfile;
  store: Store;
  pageSize: number | null;
  /** scheme://host[:port] as the client addressed us, for absolute `next` links. */
  origin: string;
}

export interface Endpoint {
  /** The token permission this endpoint needs; null = any valid token. */
  permission: string | null;
  run(call: Call): Reply;
}

export interface Route {
  pattern: RegExp;
  methods: Record<string, Endpoint>;
}

export type Match =
  | { kind: 'found'; endpoint: Endpoint; params: string[] }
  | { kind: 'method'; allowed: string[] }
  | { kind: 'slash' }
  | { kind: 'none' };

export function allowedMethods(route: Route): string[] {
  const methods = Object.keys(route.methods);
  return methods.includes('GET') ? [...methods, 'HEAD', 'OPTIONS'] : [...methods, 'OPTIONS'];
}

export function match(routes: Route[], method: string, path: string): Match {
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    const endpoint = route.methods[method === 'HEAD' ? 'GET' : method];
    if (!endpoint) return { kind: 'method', allowed: allowedMethods(route) };
    return { kind: 'found', endpoint, params: m.slice(1).map(safeDecode) };
  }
  // The provider's URLs all end in a slash, and it does not redirect a path without one.
  if (!path.endsWith('/') && routes.some((r) => r.pattern.test(`${path}/`))) return { kind: 'slash' };
  return { kind: 'none' };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // a malformed %-escape simply matches no uuid
  }
}
