// A hostile (or sick) VPS.org API on loopback: each test decides what every path answers.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface FakeProvider {
  url: string;
  /** Requests seen, as `METHOD /path?query`. */
  seen: string[];
  /** Answers requests whose path (without query) matches `path`; later routes win. */
  route(method: string, path: RegExp, handler: Handler): void;
  close(): Promise<void>;
}

export function json(body: unknown, status = 200): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
}

export const ZONE = { uuid: 'zone-1', domain: 'example.com', created_at: '2024-01-15T10:30:00Z', record_count: 1 };
export const ACCOUNT = { account: { email: 'a@example.com' }, token: { name: 't', permissions: ['dns:list', 'dns:create', 'dns:update', 'dns:delete'] } };

/** Starts a provider that knows one zone (example.com, uuid zone-1) until routes say otherwise. */
export async function startFakeProvider(): Promise<FakeProvider> {
  const routes: Array<{ method: string; path: RegExp; handler: Handler }> = [];
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const path = (req.url ?? '').split('?')[0] ?? '';
    const hit = [...routes].reverse().find((r) => r.method === req.method && r.path.test(path));
    const run = hit?.handler ?? json({ detail: 'Not found.' }, 404);
    Promise.resolve(run(req, res)).catch(() => res.destroy());
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeProvider = {
    url: `http://127.0.0.1:${port}`,
    seen,
    route: (method, path, handler) => routes.push({ method, path, handler }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  fake.route('GET', /^\/api\/v1\/account\/me\/$/, json(ACCOUNT));
  fake.route('GET', /^\/api\/v1\/dns-zones\/$/, json([ZONE]));
  fake.route('GET', /^\/api\/v1\/dns-zones\/zone-1\/$/, json({ ...ZONE, records: [] }));
  fake.route('GET', /^\/api\/v1\/dns-zones\/zone-1\/records\/$/, json([]));
  return fake;
}
