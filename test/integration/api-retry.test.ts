import { createServer } from 'node:http';
import { Agent } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClientOptions } from '../../src/api/client.js';
import {
  ConnectionError, NotFoundError, OutcomeUnknownError, RateLimitError, ServerError, TimeoutError, UnexpectedResponseError,
} from '../../src/api/errors.js';
import { DEFAULT_TEST_TOKEN, startEmulator, type Emulator } from '../../src/emulator/index.js';
import { callScope, inCallScope } from '../../src/callscope.js';
import type { UserError } from '../../src/errors.js';

// Retries where safe, read-back (never a re-send) where a write's answer was lost, and no duplicate writes ever.
let emu: Emulator;
let zoneUuid: string;
const agent = new Agent();
const client = (over: Partial<ApiClientOptions> = {}) =>
  createApiClient({ baseUrl: emu.url, token: DEFAULT_TEST_TOKEN, retryBaseMs: 1, maxRetries: 3, timeoutMs: 2000, dispatcher: agent, ...over });
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as UserError);
const sent = (method: string, pathPart = '') => emu.requests.filter((r) => r.method === method && r.path.includes(pathPart));
const recordsNamed = (name: string) => emu.store.allRecords().filter((r) => r.name === name);

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo' });
});
afterAll(async () => {
  await emu.close();
  await agent.close();
});
beforeEach(() => {
  emu.store.reset();
  emu.setPageSize(null);
  emu.faults.clear();
  zoneUuid = emu.store.findZone('example.com')?.uuid ?? '';
  emu.requests.length = 0;
});

describe('429', () => {
  it('is retried without Retry-After, then succeeds', async () => {
    emu.faults.add({ kind: 'rate_limit', times: 2 });
    await expect(client().listZones()).resolves.toMatchObject({ truncated: false });
    expect(emu.requests.map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it('honours Retry-After only up to maxRetryAfterMs', async () => {
    // An uncapped wait would be an hour and time the test out.
    emu.faults.add({ kind: 'rate_limit', retryAfter: 3600 });
    await expect(client({ maxRetryAfterMs: 5 }).listZones()).resolves.toMatchObject({ truncated: false });
    expect(emu.requests).toHaveLength(2);
  });

  it('after the last attempt says to wait, and how long', async () => {
    emu.faults.add({ kind: 'rate_limit', retryAfter: 90, times: Infinity });
    const err = await failure(client({ maxRetryAfterMs: 1, maxRetries: 2 }).listZones());
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err).toMatchObject({ status: 429, code: 'rate_limited', retryAfterMs: 90_000 });
    expect(err.message).toMatch(/[Ww]ait 90 seconds/);
    expect(emu.requests).toHaveLength(3);
  });

  it('a POST refused with 429 is re-sent (the server did nothing)', async () => {
    emu.faults.add({ kind: 'rate_limit', method: 'POST' });
    await client().createRecord(zoneUuid, { record_type: 'A', name: 'rl', value: '192.0.2.7' });
    expect(recordsNamed('rl')).toHaveLength(1);
    expect(sent('POST')).toHaveLength(2);
  });
});

describe('idempotent methods', () => {
  it('GET survives a dropped connection and a hang', async () => {
    emu.faults.add({ kind: 'drop_before', method: 'GET' });
    emu.faults.add({ kind: 'hang', method: 'GET' });
    await expect(client({ timeoutMs: 400 }).getZone(zoneUuid)).resolves.toMatchObject({ domain: 'example.com' });
    expect(emu.requests.map((r) => r.status)).toEqual([null, null, 200]);
  });

  it('a hang that never ends is a TimeoutError', async () => {
    emu.faults.add({ kind: 'hang', times: Infinity });
    const err = await failure(client({ timeoutMs: 100, maxRetries: 1 }).listZones());
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.message).toMatch(/did not answer .* within 100 ms/);
    expect(emu.requests).toHaveLength(2);
  });

  it('a body that stalls after the headers times out too', async () => {
    emu.faults.add({ kind: 'hang_body', times: Infinity });
    const err = await failure(client({ timeoutMs: 100, maxRetries: 0 }).listZones());
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.message).toMatch(/body stalled/);
  });

  it('PUT whose answer was lost is simply re-sent', async () => {
    const rec = emu.store.findZone('example.com')?.records?.find((r) => r.record_type === 'A');
    emu.faults.add({ kind: 'drop_after', method: 'PUT' });
    const put = await client().putRecord(rec?.uuid ?? '', { record_type: 'A', name: rec?.name ?? '@', value: '198.51.100.9', ttl: 300 });
    expect(put).toMatchObject({ value: '198.51.100.9', ttl: 300 });
    expect(sent('PUT')).toHaveLength(2);
  });

  it('DELETE retried after its answer was lost counts the 404 as success', async () => {
    const rec = emu.store.findZone('example.com')?.records?.[0];
    emu.faults.add({ kind: 'drop_after', method: 'DELETE' });
    await expect(client().deleteRecord(rec?.uuid ?? '')).resolves.toBeUndefined();
    expect(sent('DELETE').map((r) => r.status)).toEqual([null, 404]);
    expect(emu.store.allRecords().some((r) => r.uuid === rec?.uuid)).toBe(false);
  });

  it('DELETE of a zone after a lost answer succeeds too', async () => {
    emu.faults.add({ kind: 'drop_after', method: 'DELETE' });
    await expect(client().deleteZone(zoneUuid)).resolves.toBeUndefined();
    expect(emu.store.findZone('example.com')).toBeUndefined();
  });

  it('DELETE of a record that never existed is still a NotFoundError', async () => {
    emu.faults.add({ kind: 'rate_limit', method: 'DELETE' }); // a known "not done" must not turn 404 into success
    const err = await failure(client().deleteRecord('0b7f0c4e-0000-4000-8000-000000000000'));
    expect(err).toBeInstanceOf(NotFoundError);
  });
});

describe('POST and PATCH are never blindly re-sent', () => {
  const www2 = { record_type: 'CNAME', name: 'www2', value: 'target.example.net' } as const;

  it('createRecord whose answer was lost reads back and returns the record, no duplicate', async () => {
    emu.faults.add({ kind: 'drop_after', method: 'POST' });
    const rec = await client().createRecord(zoneUuid, www2);
    expect(rec).toMatchObject({ record_type: 'CNAME', name: 'www2' });
    expect(recordsNamed('www2')).toHaveLength(1);
    expect(recordsNamed('www2')[0]?.uuid).toBe(rec.uuid);
    expect(sent('POST')).toHaveLength(1);
  });

  it('the read-back matches an FQDN name and a differently-cased hostname with a trailing dot', async () => {
    emu.faults.add({ kind: 'drop_after', method: 'POST' });
    const rec = await client().createRecord(zoneUuid, { record_type: 'MX', name: 'Mail2.Example.COM', value: 'MX9.Example.net.', priority: 37 });
    expect(rec.record_type).toBe('MX');
    expect(emu.store.allRecords().filter((r) => r.record_type === 'MX' && r.priority === 37)).toHaveLength(1);
    expect(sent('POST')).toHaveLength(1);
  });

  // Connection reset after sending, and a time-out: the provider may still apply the write after the
  // read-back, so not finding it proves nothing. It is never re-sent (once these tests asserted that it was).
  it('createRecord reset after it was sent is read back, not re-sent: outcome unknown', async () => {
    emu.faults.add({ kind: 'drop_before', method: 'POST' });
    const err = await failure(client({ timeoutMs: 300 }).createRecord(zoneUuid, www2));
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect(err.message).toMatch(/Reading back did not find it \(at once and again 300 ms later\).*not sent again/);
    expect(err.message).toMatch(/List the records of zone .* look for CNAME www2/);
    expect(sent('POST')).toHaveLength(1);
    expect(recordsNamed('www2')).toHaveLength(0);
  });

  it('createRecord that timed out is read back twice, after the POST, and not re-sent', async () => {
    emu.faults.add({ kind: 'hang', method: 'POST' });
    const err = await failure(client({ timeoutMs: 400 }).createRecord(zoneUuid, www2));
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect(err.message).toMatch(/did not answer .* within 400 ms/);
    const post = emu.requests.findIndex((r) => r.method === 'POST');
    expect(emu.requests.slice(post + 1).filter((r) => r.method === 'GET' && r.path.endsWith('/records/'))).toHaveLength(2);
    expect(sent('POST')).toHaveLength(1);
  });

  it('a 500 on createRecord that did land is found by reading back', async () => {
    emu.faults.add({ kind: 'drop_after', method: 'POST' });
    emu.faults.add({ kind: 'status', status: 500, method: 'GET', path: '/records/' }); // the first read-back fails, is retried
    await client().createRecord(zoneUuid, www2);
    expect(recordsNamed('www2')).toHaveLength(1);
    expect(sent('POST')).toHaveLength(1);
  });

  it('a malformed 2xx answer to createRecord is checked by reading back, not re-sent', async () => {
    emu.faults.add({ kind: 'malformed_json', method: 'POST' });
    // The fault answers instead of processing, so reading back proves nothing landed.
    const err = await failure(client().createRecord(zoneUuid, www2));
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect(sent('POST')).toHaveLength(1);
  });

  it('when reading back fails too, the outcome is reported as unknown', async () => {
    emu.faults.add({ kind: 'drop_after', method: 'POST' });
    emu.faults.add({ kind: 'status', status: 503, method: 'GET', times: Infinity });
    const err = await failure(client({ maxRetries: 1 }).createRecord(zoneUuid, www2));
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect(err.code).toBe('outcome_unknown');
    expect(err.message).toMatch(/may or may not have been applied/);
    expect(err.message).toMatch(/List the records of zone/);
    expect(sent('POST')).toHaveLength(1);
    expect(recordsNamed('www2')).toHaveLength(1);
  });

  it('a 503 the API itself answered (its JSON error shape) is read back, then re-sent: it had finished with the request', async () => {
    emu.faults.add({ kind: 'status', status: 503, method: 'POST' });
    await client().createRecord(zoneUuid, www2);
    const posts = emu.requests.flatMap((r, i) => (r.method === 'POST' ? [i] : []));
    expect(posts).toHaveLength(2);
    expect(emu.requests.slice((posts[0] ?? 0) + 1, posts[1]).some((r) => r.method === 'GET' && r.path.endsWith('/records/'))).toBe(true);
    expect(recordsNamed('www2')).toHaveLength(1);
  });

  it('a 504 is a gateway giving up on a request the API may still process, whatever its body: not re-sent', async () => {
    emu.faults.add({ kind: 'status', status: 504, method: 'POST' });
    const err = await failure(client({ timeoutMs: 300 }).createRecord(zoneUuid, www2));
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect(err.message).toMatch(/not sent again/);
    expect(sent('POST')).toHaveLength(1);
  });

  it("a POST whose call has no time left to look again says so, and is not re-sent", async () => {
    emu.faults.add({ kind: 'drop_before', method: 'POST', times: Infinity });
    const err = await inCallScope(new AbortController().signal, async () => {
      const scope = callScope();
      if (scope) scope.apiDeadline = Date.now() + 3000; // room for the reset and one read-back, not for a 5 s wait
      return failure(client({ timeoutMs: 5000 }).createRecord(zoneUuid, www2));
    });
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect(err.message).toMatch(/at once; this call's time budget left no time to look again later/);
    expect(err.message).not.toMatch(/not applied/);
    expect(sent('POST')).toHaveLength(1);
  });

  it('createZone whose answer was lost reads back by domain', async () => {
    emu.faults.add({ kind: 'drop_after', method: 'POST' });
    const zone = await client().createZone('lost-answer.test');
    expect(zone.domain).toBe('lost-answer.test');
    expect(emu.store.listZones().filter((z) => z.domain === 'lost-answer.test')).toHaveLength(1);
    expect(sent('POST')).toHaveLength(1);
    expect(sent('GET', '/dns-zones/').some((r) => r.query === 'domain=lost-answer.test')).toBe(true);
  });

  it('patchRecord whose answer was lost reads the record back', async () => {
    const rec = emu.store.findZone('example.com')?.records?.[0];
    emu.faults.add({ kind: 'drop_after', method: 'PATCH' });
    const patched = await client().patchRecord(rec?.uuid ?? '', { ttl: 1234 });
    expect(patched.ttl).toBe(1234);
    expect(sent('PATCH')).toHaveLength(1);
    expect(sent('GET', `/dns-records/${rec?.uuid}/`)).toHaveLength(1);
  });

  it('patchRecord reset after it was sent is read back, not re-sent', async () => {
    const rec = emu.store.findZone('example.com')?.records?.[0];
    emu.faults.add({ kind: 'drop_before', method: 'PATCH' });
    const err = await failure(client({ timeoutMs: 300 }).patchRecord(rec?.uuid ?? '', { ttl: 4321 }));
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect(err.message).toMatch(/Get record .* and compare it with the change/);
    expect(sent('PATCH')).toHaveLength(1);
    expect(sent('GET', `/dns-records/${rec?.uuid}/`)).toHaveLength(2);
  });

  it('a refused connection is retried even for POST (nothing was sent)', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const a = s.address();
        s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
      });
    });
    const api = createApiClient({ baseUrl: `http://127.0.0.1:${port}`, token: DEFAULT_TEST_TOKEN, retryBaseMs: 1, maxRetries: 2, dispatcher: agent });
    const err = await failure(api.createZone('refused.test'));
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).sent).toBe(false);
    expect(err.message).toMatch(/ECONNREFUSED/);
    expect(err.message).toMatch(/3 attempts/);
  });
});

describe('pagination failures', () => {
  it('a page failing in the middle fails the whole list, naming the page', async () => {
    emu.setPageSize(2);
    emu.faults.add({ kind: 'latency', ms: 0, path: '/records/' }); // lets page 1 through
    emu.faults.add({ kind: 'status', status: 500, path: '/records/', times: Infinity });
    const err = await failure(client({ maxRetries: 1 }).listZoneRecords(zoneUuid));
    expect(err).toBeInstanceOf(ServerError);
    expect(err.message).toMatch(/failed on page 2/);
    expect(err.message).toMatch(/no partial list/);
  });

  it('a malformed page in the middle fails the whole list', async () => {
    emu.setPageSize(2);
    emu.faults.add({ kind: 'latency', ms: 0, path: '/records/', times: 2 });
    emu.faults.add({ kind: 'malformed_json', path: '/records/' });
    const err = await failure(client().listZoneRecords(zoneUuid));
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect(err.message).toMatch(/page 3/);
  });

  it('a dropped page is retried and the list completes', async () => {
    emu.setPageSize(2);
    emu.faults.add({ kind: 'latency', ms: 0, path: '/records/' });
    emu.faults.add({ kind: 'drop_before', path: '/records/' });
    const list = await client().listZoneRecords(zoneUuid);
    expect(list.items).toHaveLength(emu.store.getZone(zoneUuid)?.records?.length ?? -1);
  });
});
