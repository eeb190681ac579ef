/**
 * A DELETE is documented to answer 204. Any other 2xx (an empty 200, a malformed body, a login
 * page) may come from something in front of the API that never passed the request on, so the
 * client reads back before it reports the target deleted (found by the fault matrix: "Deleted"
 * was reported while the record was still there).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createApiClient } from '../../src/api/client.js';
import { OutcomeUnknownError, UnexpectedResponseError } from '../../src/api/errors.js';

const TOKEN = 'vps_delete_answers_0123456789';
const RECORD = { uuid: 'r1', record_type: 'A', name: 'www', value: '192.0.2.1', ttl: 3600, priority: null };

let server: Server;
let origin = '';
let log: string[] = [];
/** What the fake answers: the DELETE replies in turn (then 204), and whether the record exists. */
let deletes: Array<{ status: number; body: string; type?: string }> = [];
let exists = true;
let getStatus: number | undefined;

beforeEach(async () => {
  log = [];
  exists = true;
  getStatus = undefined;
  server = createServer((req, res) => {
    log.push(`${req.method} ${req.url}`);
    if (req.method === 'DELETE') {
      const next = deletes.shift() ?? { status: 204, body: '' };
      if (next.status === 204) exists = false;
      res.writeHead(next.status, { 'content-type': next.type ?? 'application/json', 'content-length': Buffer.byteLength(next.body) });
      return res.end(next.body);
    }
    const status = getStatus ?? (exists ? 200 : 404);
    const body = JSON.stringify(status === 200 ? RECORD : { detail: 'Not found.' });
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const api = () => createApiClient({ baseUrl: origin, token: TOKEN, retryBaseMs: 1, maxRetries: 2 });

it('a 204 is trusted at once: one DELETE, no read-back', async () => {
  deletes = [{ status: 204, body: '' }];
  await api().deleteRecord('r1');
  expect(log).toEqual(['DELETE /api/v1/dns-records/r1/']);
});

it('an empty 200 that did nothing: read back, still there, sent again, gone', async () => {
  deletes = [{ status: 200, body: '' }];
  await api().deleteRecord('r1');
  expect(log).toEqual(['DELETE /api/v1/dns-records/r1/', 'GET /api/v1/dns-records/r1/', 'DELETE /api/v1/dns-records/r1/']);
  expect(exists).toBe(false);
});

it('a 200 whose target is gone on read-back is a success, not sent twice', async () => {
  deletes = [{ status: 200, body: '{"ok": true}' }];
  exists = false;
  await api().deleteZone('z1');
  expect(log).toEqual(['DELETE /api/v1/dns-zones/z1/', 'GET /api/v1/dns-zones/z1/']);
});

it('a login page (HTML 200) every time: refused, saying the record is still there', async () => {
  const page = { status: 200, body: '<html><title>Sign in</title></html>', type: 'text/html' };
  deletes = [page, page, page];
  const err = await api().deleteRecord('r1').then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(UnexpectedResponseError);
  expect((err as Error).message).toMatch(/answered 200 instead of the API's 204, yet the target is still there.*Gave up after 3 attempts/);
  expect(log.filter((l) => l.startsWith('DELETE'))).toHaveLength(3);
  expect(exists).toBe(true);
});

it('when the read-back fails too, the outcome is reported as unknown', async () => {
  deletes = [{ status: 200, body: '' }];
  getStatus = 500;
  const err = await api().deleteRecord('r1').then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(OutcomeUnknownError);
  expect((err as Error).message).toMatch(/may or may not have been applied/);
  expect(log.filter((l) => l.startsWith('DELETE'))).toHaveLength(1);
});
