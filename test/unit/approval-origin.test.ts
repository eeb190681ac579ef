/**
 * The approval page's decision must come from the page's own origin: this Host over http, the
 * origin of VPSORG_PUBLIC_URL, or https://host when the operator trusts a TLS-terminating proxy
 * (VPSORG_TRUST_FORWARDED). Any other origin, or none, decides nothing (issue 21.11).
 */
import { createServer, request, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApprovalStore } from '../../src/safety/approval-desk.js';
import { approvalView } from '../../src/safety/approval-view.js';
import { APPROVE_PREFIX, handleApproval } from '../../src/http/approval-page.js';
import type { PublicAddress } from '../../src/auth/public-url.js';

const rec = { uuid: 'u', name: 'www', record_type: 'A' as const, value: '192.0.2.1', ttl: 60, priority: null };
const view = approvalView({ op: 'delete_record', zone: 'example.com', action: 'Delete', changes: [{ action: 'delete', before: rec }], current: [rec] });
const HOST = 'dns-mcp.example.net';

let server: Server;
let port: number;
const store = new ApprovalStore();
let address: PublicAddress = { publicUrl: undefined, trustForwarded: false };
beforeAll(async () => {
  server = createServer((req, res) => void handleApproval(store, [HOST, 'dns.example.org'], req, res, address));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

/** Posts the decision as the page's form would, with this Origin (Host is the public name the proxy passes on). */
async function decide(origin: string | undefined, key: string): Promise<{ status: number; decision: string }> {
  const path = await store.add({ key, view, expiresAt: Date.now() + 60_000 });
  const entry = (await store.page(path))!;
  const csrf = entry.csrf;
  const body = new URLSearchParams({ csrf, decision: 'approve' }).toString();
  // The call behind the page: reports at once when the decision lands, so the page's answer does not wait for it.
  void store.wait(key, 3000).then((d) => (d === 'approved' ? store.report(key, { applied: true, text: 'done' }) : undefined));
  // node:http, not fetch: fetch sends its own Host, and the proxy's Host is what is tested here.
  const status = await new Promise<number>((done, fail) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: `${APPROVE_PREFIX}${path}`, headers: { host: HOST, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), ...(origin ? { origin } : {}), 'sec-fetch-site': 'same-origin' } }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
    });
    req.on('error', fail);
    req.end(body);
  });
  return { status, decision: (await store.page(path))?.decided ?? 'pending' };
}

describe('who may post the decision', () => {
  it('the page over http; over https only where the operator said so (a trusted proxy, or the public URL)', async () => {
    address = { publicUrl: undefined, trustForwarded: false };
    expect(await decide(`http://${HOST}`, 'plain')).toEqual({ status: 200, decision: 'approved' });
    expect(await decide(`https://${HOST}`, 'tls-untrusted')).toEqual({ status: 403, decision: 'pending' });
    address = { publicUrl: undefined, trustForwarded: true };
    expect(await decide(`https://${HOST}`, 'tls')).toEqual({ status: 200, decision: 'approved' });
    address = { publicUrl: new URL('https://dns.example.org/mcp'), trustForwarded: false };
    expect(await decide('https://dns.example.org', 'public')).toEqual({ status: 200, decision: 'approved' });
    expect(await decide(`https://${HOST}`, 'tls-public')).toEqual({ status: 403, decision: 'pending' });
    address = { publicUrl: undefined, trustForwarded: false };
  });

  it('not another origin, another port, or no origin at all', async () => {
    for (const [origin, key] of [['https://evil.example', 'evil'], [`https://${HOST}:8443`, 'port'], [undefined, 'none']] as const) {
      const r = await decide(origin, key);
      expect(r.status, String(origin)).toBe(403);
      expect(r.decision).toBe('pending');
    }
  });
});
