/**
 * What operators and load balancers ask of a replica, beside the MCP endpoint: `/healthz` (the
 * process answers), `/readyz` (what it depends on answers: VPS.org, and later a shared state store,
 * through `ReadyCheck`), and `/metrics` (Prometheus text, only with VPSORG_METRICS_TOKEN, behind
 * that token). None of them needs the MCP access key, and none says more than a check's name and
 * whether it passed: the reasons go to the log.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { log } from '../log.js';
import { bearerIs } from './guard.js';

/** One dependency a replica needs to serve; `check` throws (or times out) when it is not there. */
export interface ReadyCheck {
  name: string;
  check(): Promise<unknown>;
}

export interface OpsRoutes {
  readiness: readonly ReadyCheck[];
  metrics?: { token: string; render(): Promise<{ contentType: string; text: string }> };
}

export const OPS_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** A probe every few seconds must not become a request to VPS.org every few seconds. */
const READY_CACHE_MS = 5000;
/** A check that has not answered by then counts as failed (the probe's own timeout is often 1-10 s). */
const READY_TIMEOUT_MS = 4000;

interface Verdict { ok: boolean; at: number }

/** Runs each check at most once per READY_CACHE_MS, one at a time, bounded by READY_TIMEOUT_MS. */
export function readiness(checks: readonly ReadyCheck[], now: () => number = Date.now): () => Promise<Array<{ name: string; ok: boolean }>> {
  const last = new Map<string, Verdict>();
  const running = new Map<string, Promise<boolean>>();
  const run = (c: ReadyCheck): Promise<boolean> => {
    const cached = last.get(c.name);
    if (cached && now() - cached.at < READY_CACHE_MS) return Promise.resolve(cached.ok);
    let p = running.get(c.name);
    if (!p) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS); });
      p = Promise.race([c.check(), timeout])
        .then(() => true, (err: unknown) => {
          log.info(`readyz: ${c.name} is not ready: ${err instanceof Error ? err.message : String(err)}`);
          return false;
        })
        .then((ok) => {
          clearTimeout(timer);
          last.set(c.name, { ok, at: now() });
          running.delete(c.name);
          return ok;
        });
      running.set(c.name, p);
    }
    return p;
  };
  return async () => Promise.all(checks.map(async (c) => ({ name: c.name, ok: await run(c) })));
}

function send(res: ServerResponse, status: number, body: string, type = 'application/json', headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
  res.end(body);
}

/** Answers an ops path (see OPS_PATHS); `ready` is readiness() of the routes' checks. */
export async function handleOps(routes: OpsRoutes, ready: ReturnType<typeof readiness>, path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, JSON.stringify({ error: `${path} answers GET only.` }), 'application/json', { allow: 'GET, HEAD' });
  if (path === '/healthz') return send(res, 200, JSON.stringify({ status: 'ok' }));
  if (path === '/readyz') {
    const checks = await ready();
    const ok = checks.every((c) => c.ok);
    return send(res, ok ? 200 : 503, JSON.stringify({ status: ok ? 'ready' : 'not_ready', checks: Object.fromEntries(checks.map((c) => [c.name, c.ok ? 'ok' : 'failing'])) }));
  }
  const metrics = routes.metrics;
  if (!metrics) return send(res, 404, JSON.stringify({ error: 'Metrics are off: set VPSORG_METRICS_TOKEN to serve them here.' }));
  if (!bearerIs(req.headers.authorization, metrics.token)) {
    log.info(`http: 401 for GET /metrics: missing or wrong metrics token`);
    return send(res, 401, JSON.stringify({ error: 'Send Authorization: Bearer <VPSORG_METRICS_TOKEN>.' }), 'application/json', { 'www-authenticate': 'Bearer realm="vpsorg-dns-mcp metrics"' });
  }
  const out = await metrics.render();
  return send(res, 200, out.text, out.contentType);
}
