// Issue 13 point 9: a hostile or sick provider cannot exhaust memory or hold a call for hours, and
// a cancelled call stops its API requests.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { createApiClient } from '../../src/api/client.js';
import { callScope, inCallScope } from '../../src/callscope.js';
import { DEFAULT_TEST_TOKEN } from '../../src/emulator/index.js';
import { runCall } from '../../src/cli/call.js';
import { startFakeProvider, ZONE, type FakeProvider } from './support/provider.js';

const MiB = 1024 * 1024;

/** A 200 answer of `size` bytes: whitespace, then `body` as JSON (valid JSON, however large). */
function padded(body: unknown, size: number) {
  return (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(MiB, 0x20);
    for (let sent = 0; sent < size; sent += MiB) res.write(chunk);
    res.end(JSON.stringify(body));
  };
}

/** Holds the request open and resolves `closed` when the client gives up on it. */
function hang(seen: { closed: Promise<void>; arrived: Promise<void> }) {
  let arrive!: () => void;
  let close!: () => void;
  seen.arrived = new Promise((r) => (arrive = r));
  seen.closed = new Promise((r) => (close = r));
  return (req: IncomingMessage) => {
    req.socket.on('close', close);
    arrive();
  };
}

describe('a hostile or sick provider', () => {
  let fake: FakeProvider;
  beforeAll(async () => {
    fake = await startFakeProvider();
  });
  afterAll(async () => {
    await fake?.close();
  });
  const api = (opts: { timeoutMs?: number } = {}) => createApiClient({ baseUrl: fake.url, token: DEFAULT_TEST_TOKEN, retryBaseMs: 1, maxRetries: 3, timeoutMs: opts.timeoutMs ?? 60_000 });

  it('one answer over 16 MiB is refused as it streams', async () => {
    fake.route('GET', /^\/api\/v1\/dns-zones\/$/, padded([ZONE], 20 * MiB));
    await expect(api().listZones()).rejects.toThrow(/over 16 MiB/);
  });

  it('the pages of one listing share a byte budget (64 MiB)', async () => {
    fake.route('GET', /^\/api\/v1\/dns-zones\/$/, (req, res) => {
      const page = Number(new URL(req.url ?? '/', fake.url).searchParams.get('page') ?? '1');
      return padded({ results: [{ ...ZONE, uuid: `zone-${page}` }], next: `${fake.url}/api/v1/dns-zones/?page=${page + 1}` }, 10 * MiB)(req, res);
    });
    await expect(api().listZones()).rejects.toThrow(/passed 64 MiB/);
  });

  it('a 429 storm ends when waiting would pass the call\'s time budget, not hours later', async () => {
    const before = fake.seen.length;
    fake.route('GET', /^\/api\/v1\/dns-zones\/$/, (_req, res) => {
      res.writeHead(429, { 'retry-after': '20', 'content-type': 'application/json' });
      res.end('{"detail":"slow down"}');
    });
    const client = createApiClient({ baseUrl: fake.url, token: DEFAULT_TEST_TOKEN, maxRetryAfterMs: 3_600_000, maxRetries: 100 });
    const err = await inCallScope(new AbortController().signal, async () => {
      const scope = callScope();
      if (scope) scope.apiDeadline = Date.now() + 5_000;
      return client.listZones().catch((e: unknown) => e);
    });
    expect(String(err)).toMatch(/Not retried: waiting 20 s more would pass this call's time budget/);
    expect(fake.seen.length - before).toBe(1);
  });

  describe('cancelling a tool call aborts its API request', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ env: { VPSORG_API_URL: fake.url, VPSORG_TIMEOUT_MS: '600000' } });
    });
    afterAll(async () => {
      await h?.close();
    });

    it('MCP notifications/cancelled', async () => {
      const seen = {} as { closed: Promise<void>; arrived: Promise<void> };
      fake.route('GET', /^\/api\/v1\/dns-zones\/$/, hang(seen));
      const controller = new AbortController();
      const call = h.client.callTool({ name: 'list_zones', arguments: {} }, { signal: controller.signal }).catch((e: unknown) => e);
      await seen.arrived;
      controller.abort();
      await seen.closed;
      await call;
    });

    it('Ctrl-C in the CLI', async () => {
      const seen = {} as { closed: Promise<void>; arrived: Promise<void> };
      fake.route('GET', /^\/api\/v1\/dns-zones\/$/, hang(seen));
      const exit = runCall(['list_zones'], { VPSORG_API_URL: fake.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN, VPSORG_TIMEOUT_MS: '600000' }, { progress: { update() {}, done() {} } });
      await seen.arrived;
      process.emit('SIGINT');
      await seen.closed;
      expect(await exit).toBe(1);
    });
  });
});
