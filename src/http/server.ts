/**
 * MCP over Streamable HTTP, stateless: each request gets a fresh server from the same factory
 * (SDK v2 createMcpHandler; 2025-era clients are served per request by its legacy fallback), so
 * replicas behind a load balancer behave as one. Loaded only when --http is given.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createMcpHandler, type McpServerFactory } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { log } from '../log.js';
import { withRequestSignal } from '../callscope.js';
import { checkRequest, type HttpSecurity } from './guard.js';
import { MAX_HTTP_BODY_BYTES, readBody, tooLargeMessage, withBody } from './body.js';
import { unsupportedVersion } from './versions.js';
import { APPROVE_PREFIX, handleApproval } from './approval-page.js';
import type { ApprovalStore } from '../safety/approval-desk.js';
import { OPS_PATHS, handleOps, readiness, type OpsRoutes } from './ops.js';
import { admission, clientKey } from './admission.js';
import type { PublicAddress } from '../auth/public-url.js';
import type { ResourceServer } from '../auth/resource.js';
import { admit, serveMetadata } from './oauth-gate.js';
import type { PageSignIn } from './approval-signin.js';

export const MCP_PATH = '/mcp';
export const DEFAULT_HTTP_PORT = 8787;

export interface HttpServerOptions {
  factory: McpServerFactory;
  security: HttpSecurity;
  port: number;
  /** Approval pages to serve under APPROVE_PREFIX (Host/Origin checked, no access key: a browser opens them). */
  approvals?: ApprovalStore;
  /** /healthz, /readyz and /metrics (ops.ts); without it /readyz has nothing to check and /metrics is off. */
  ops?: OpsRoutes;
  /** Where the operator says this server is reached (VPSORG_PUBLIC_URL, VPSORG_TRUST_FORWARDED). */
  address?: PublicAddress;
  /** VPSORG_AUTH=oauth: bearer tokens of the issuer instead of the static key (auth/resource.ts). */
  oauth?: ResourceServer;
  /** VPSORG_REQUIRE_DISTINCT_APPROVER: how the approval pages sign a second person in (approval-signin.ts). */
  signIn?: PageSignIn;
}

export interface RunningHttpServer {
  /** e.g. http://127.0.0.1:8787/mcp */
  url: string;
  port: number;
  close(): Promise<void>;
}

function refuse(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}, data?: Record<string, unknown>): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message, ...(data ? { data } : {}) }, id: null }));
}

/** Hands a request to the SDK with its body already read (body.ts); answers 413 itself when the body is over the limit. */
async function forward(req: IncomingMessage, res: ServerResponse, node: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Promise<void> {
  if (req.method === 'GET' || req.method === 'HEAD') return node(req, res);
  let read: Awaited<ReturnType<typeof readBody>>;
  try {
    read = await readBody(req);
  } catch {
    // The client went away while sending: there is no one to answer.
    log.debug(`http: ${req.method} ${MCP_PATH}: the client disconnected while sending the body`);
    return;
  }
  if (read.ok) return node(withBody(req, read.body), res);
  log.info(`http: 413 for ${req.method} ${MCP_PATH}: a body of ${read.received} bytes`);
  // The client has sent everything (or more than is drained) and reads the answer; the connection
  // is not reused, as the SDK does for its own 413.
  refuse(res, 413, tooLargeMessage(read.received), { connection: 'close' }, { max_bytes: MAX_HTTP_BODY_BYTES, received_bytes: read.received });
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

export { MAX_CONCURRENT_REQUESTS, MAX_REQUESTS_PER_CLIENT } from './admission.js';

export async function startHttpServer(opts: HttpServerOptions): Promise<RunningHttpServer> {
  const mcp = createMcpHandler(opts.factory, { onerror: (e) => log.warn(`http: ${e.message}`) });
  const node = toNodeHandler(mcp, { onerror: (e) => log.error(`http: ${e.message}`) });
  const sockets = new Set<Socket>();
  const gate = admission();
  const ops = opts.ops ?? { readiness: [] };
  const ready = readiness(ops.readiness);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    // Probes and scrapers address a replica by its own IP, with no MCP access key: see ops.ts for what they may learn.
    if (OPS_PATHS.has(path)) {
      handleOps(ops, ready, path, req, res).catch((err: unknown) => {
        log.error(`http: ${path}: ${err instanceof Error ? err.message : String(err)}`);
        if (!res.headersSent) refuse(res, 500, 'Internal error.');
      });
      return;
    }
    if (opts.approvals && path.startsWith(APPROVE_PREFIX)) {
      handleApproval(opts.approvals, opts.security.allowedHostnames, req, res, opts.address, opts.signIn).catch((err: unknown) => {
        log.error(`http: approval page: ${err instanceof Error ? err.message : String(err)}`);
        if (!res.headersSent) refuse(res, 500, 'Internal error.');
      });
      return;
    }
    if (opts.oauth && serveMetadata(opts.oauth, path, req, res)) return;
    const failure = checkRequest(opts.security, { host: header(req, 'host'), origin: header(req, 'origin'), authorization: header(req, 'authorization') });
    if (failure) {
      log.info(`http: ${failure.status} for ${req.method} ${path}: ${failure.message}`);
      return refuse(res, failure.status, failure.message, failure.headers);
    }
    if (path !== MCP_PATH) return refuse(res, 404, `Not found: the MCP endpoint is ${MCP_PATH}.`);
    if (!opts.oauth) return serve(req, res, path);
    admit(opts.oauth, req, res)
      .then((ok) => ok && serve(req, res, path))
      .catch((err: unknown) => {
        log.error(`http: ${err instanceof Error ? err.message : String(err)}`);
        if (!res.headersSent) refuse(res, 500, 'Internal error.');
      });
  });
  /** The signed-in OAuth caller (oauth-gate.ts put it on the request), as one admission key. */
  function principalOf(req: IncomingMessage): string | undefined {
    const auth = (req as IncomingMessage & { auth?: { clientId?: string; extra?: { iss?: unknown; sub?: unknown } } }).auth;
    if (!auth) return undefined;
    return `${String(auth.extra?.iss ?? '')} ${String(auth.extra?.sub ?? `client:${auth.clientId ?? ''}`)}`;
  }
  /** The MCP request itself, once it passed the gates. */
  function serve(req: IncomingMessage, res: ServerResponse, path: string): void {
    const badVersion = unsupportedVersion(header(req, 'mcp-protocol-version'));
    if (badVersion) return refuse(res, 400, badVersion);
    // Each request may hold API requests and DNS sockets: a client cannot open them without bound,
    // nor take the slots of the others (admission.ts).
    const admitted = gate.admit(clientKey(header(req, 'authorization'), req.socket.remoteAddress, principalOf(req)));
    if (!admitted.ok) {
      log.info(`http: 503 for ${req.method} ${path}: ${admitted.reason}`);
      return refuse(res, 503, `Too many requests in progress: ${admitted.reason}; retry shortly.`, { 'retry-after': '1' });
    }
    // The adapter's duck type declares `method?: string`; an IncomingMessage has `string | undefined`.
    // A client that disconnects cancels its tool calls' API requests and DNS queries (callscope.ts).
    const gone = new AbortController();
    res.on('close', () => {
      admitted.release();
      if (!res.writableFinished) gone.abort();
    });
    withRequestSignal(gone.signal, () => forward(req, res, (r, s) => node(r as Parameters<typeof node>[0], s))).catch((err: unknown) => {
      log.error(`http: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) refuse(res, 500, 'Internal error.');
      else res.end();
    });
  }
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.security.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const host = opts.security.host.includes(':') ? `[${opts.security.host}]` : opts.security.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}${MCP_PATH}`,
    port,
    close() {
      closing ??= (async () => {
        await mcp.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const s of sockets) s.destroy();
        });
      })();
      return closing;
    },
  };
}
