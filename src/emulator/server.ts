import type { IncomingMessage, ServerResponse } from 'node:http';
import { log } from '../log.js';
import { ApiError, renderError } from './api-error.js';
import { authenticate, profileFor } from './accounts.js';
import type { Faults } from './faults.js';
import { answerWithFault } from './fault-replies.js';
import { bodyObject, readBody, send, type ReadBody, type Reply } from './http.js';
import { match } from './router.js';
import { routes } from './routes/index.js';
import type { Store } from './store.js';
import type { EmulatorToken, RequestLogEntry } from './types.js';

export interface ServerState {
  store: Store;
  tokens: Map<string, EmulatorToken>;
  faults: Faults;
  requests: RequestLogEntry[];
  pageSize: number | null;
  latencyMs: number;
  errorStyle: 'documented' | 'drf';
  origin: string;
  closed: boolean;
  /** Pending delays, woken early by close(). */
  sleepers: Map<NodeJS.Timeout, () => void>;
}

function sleep(state: ServerState, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      state.sleepers.delete(timer);
      resolve();
    }, ms);
    state.sleepers.set(timer, resolve);
  });
}

const NOT_FOUND = { detail: 'Not found.', error_code: 'not_found' };

/** Routing order follows Django REST Framework: URL, authentication, method, permission, object. */
function dispatch(state: ServerState, req: IncomingMessage, method: string, url: URL, body: ReadBody): Reply {
  try {
    const found = match(routes, method, url.pathname);
    if (found.kind === 'none') return { status: 404, body: NOT_FOUND };
    if (found.kind === 'slash') {
      return { status: 404, body: { detail: `Not found. The API requires a trailing slash: ${url.pathname}/`, error_code: 'not_found' } };
    }
    const token = authenticate(req.headers.authorization, state.tokens);
    if (!token) {
      return { status: 401, body: { detail: 'Invalid or missing API token', error_code: 'authentication_failed' }, headers: { 'www-authenticate': 'Bearer realm="api"' } };
    }
    if (found.kind === 'method') {
      const allow = found.allowed.join(', ');
      if (method === 'OPTIONS') return { status: 200, body: { allowed: found.allowed }, headers: { allow } };
      return { status: 405, body: { detail: `Method "${method}" not allowed.`, error_code: 'method_not_allowed' }, headers: { allow } };
    }
    const { endpoint, params } = found;
    if (endpoint.permission && !token.permissions.includes(endpoint.permission)) {
      const p = endpoint.permission;
      return { status: 403, body: { detail: `Token lacks ${p} permission`, error_code: 'permission_denied', permission: p } };
    }
    const account = token.account ?? 'acct-1';
    return endpoint.run({
      params,
      path: url.pathname,
      query: url.searchParams,
      body: () => bodyObject(body),
      account,
      token,
      profile: profileFor(account),
      store: state.store,
      pageSize: state.pageSize,
      origin: req.headers.host ? `http://${req.headers.host}` : state.origin,
    });
  } catch (err) {
    if (err instanceof ApiError) return { status: err.status, body: renderError(err, state.errorStyle) };
    log.error(`emulator: internal error on ${method} ${url.pathname}: ${(err as Error).stack ?? String(err)}`);
    return { status: 500, body: { detail: `Internal emulator error: ${(err as Error).message}`, error_code: 'server_error' } };
  }
}

async function handle(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  const body = await readBody(req);
  const entry: RequestLogEntry = { method, path: url.pathname, query: url.search.replace(/^\?/, ''), status: null, at: Date.now() };
  if (body.json !== undefined) entry.body = body.json;
  else if (body.raw !== '') entry.body = body.raw;
  state.requests.push(entry);

  const fault = state.faults.take(method, url.pathname);
  const delay = state.latencyMs + (fault?.kind === 'latency' ? (fault.ms ?? 0) : 0);
  if (delay > 0) await sleep(state, delay);
  if (fault?.kind === 'hold') await state.faults.hold();
  if (state.closed) return;
  const after = fault?.kind === 'drop_after' || fault?.kind === 'hang_after';
  if (fault && fault.kind !== 'latency' && fault.kind !== 'hold' && !after) return answerWithFault(fault, req, res, entry);

  const reply = dispatch(state, req, method, url, body);
  if (fault && after) return answerWithFault(fault, req, res, entry);
  entry.status = reply.status;
  send(res, reply);
}

export function createHandler(state: ServerState): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(state, req, res).catch((err: unknown) => {
      log.warn(`emulator: request failed: ${(err as Error).message}`);
      if (!res.headersSent && !res.destroyed) send(res, { status: 500, body: { detail: 'Internal emulator error', error_code: 'server_error' } });
    });
  };
}
