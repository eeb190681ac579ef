/**
 * The approval page's decision must come from the page's own origin: this Host over http, or over
 * https when a TLS-terminating proxy serves the page (the browser then posts Origin https://host).
 * Any other origin, or none, decides nothing.
 */
import { createServer, request, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApprovalStore } from '../../src/safety/approval-desk.js';
import { approvalView } from '../../src/safety/approval-view.js';
import { APPROVE_PREFIX, handleApproval } from '../../src/http/approval-page.js';

const rec = { uuid: 'u', name: 'www', record_type: 'A' as const, value: '192.0.2.1', ttl: 60, priority: null };
const view = approvalView({ op: 'delete_record', zone: 'example.com', action: 'Delete', changes: [{ action: 'delete', before: rec }], current: [rec] });
const HOST = 'dns-mcp.example.net';

let server: Server;
let port: number;
const store = new ApprovalStore();
beforeAll(async () => {
  server = createServer((req, res) => void handleApproval(store, [HOST], req, res));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

/** Posts the decision as the page's form would, with this Origin (Host is the public name the proxy passes on). */
async function decide(origin: string | undefined, key: string): Promise<{ status: number; decision: string }> {
  const path = store.add({ key, view, expiresAt: Date.now() + 60_000 });
  const csrf = store.page(path)!.csrf;
  const body = new URLSearchParams({ csrf, decision: 'approve' }).toString();
  // node:http, not fetch: fetch sends its own Host, and the proxy's Host is what is tested here.
  const status = await new Promise<number>((done, fail) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: `${APPROVE_PREFIX}${path}`, headers: { host: HOST, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), ...(origin ? { origin } : {}), 'sec-fetch-site': 'same-origin' } }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
    });
    req.on('error', fail);
    req.end(body);
  });
  return { status, decision: await store.wait(key, 0) };
}

describe('who may post the decision', () => {
  it('the page over http, and the page over https behind a TLS-terminating proxy', async () => {
    expect(await decide(`http://${HOST}`, 'plain')).toEqual({ status: 200, decision: 'approved' });
    expect(await decide(`https://${HOST}`, 'tls')).toEqual({ status: 200, decision: 'approved' });
  });

  it('not another origin, another port, or no origin at all', async () => {
    for (const [origin, key] of [['https://evil.example', 'evil'], [`https://${HOST}:8443`, 'port'], [undefined, 'none']] as const) {
      const r = await decide(origin, key);
      expect(r.status, String(origin)).toBe(403);
      expect(r.decision).toBe('pending');
    }
  });
});
