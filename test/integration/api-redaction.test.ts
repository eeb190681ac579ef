import { createServer } from 'node:http';
import { Agent } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApiClient, type ApiClientOptions } from '../../src/api/client.js';
import { redactToken } from '../../src/api/redact.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { UserError } from '../../src/errors.js';
import { log } from '../../src/log.js';

// The token is a bearer credential: it must not surface in any message, cause, detail, stack or log.
const CANARY = 'vps_CANARY_5f1d2c9e8b7a6f4e3d2c1b0a';
let emu: Emulator;
let zoneUuid: string;
const agent = new Agent();
const client = (over: Partial<ApiClientOptions> = {}) =>
  createApiClient({ baseUrl: emu.url, token: CANARY, retryBaseMs: 1, maxRetries: 1, timeoutMs: 2000, dispatcher: agent, ...over });

/** Everything about an error that could be printed, down its cause chain. */
function everything(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e !== undefined && depth < 6; depth++) {
    parts.push(String(e));
    if (e instanceof Error) parts.push(e.message, e.stack ?? '');
    if (e instanceof UserError) parts.push(JSON.stringify({ details: e.details, hint: e.hint, field: e.field, code: e.code }));
    parts.push(JSON.stringify(e, Object.getOwnPropertyNames(e ?? {})));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join('\n');
}

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', tokens: [{ token: CANARY, permissions: ['dns:list', 'dns:create', 'dns:update'] }] });
  zoneUuid = emu.store.findZone('example.com')?.uuid ?? '';
});
afterAll(async () => {
  await emu.close();
  await agent.close();
});
beforeEach(() => {
  emu.faults.clear();
});

describe('the token never leaks', () => {
  const scenarios: Array<[string, () => Promise<unknown>]> = [
    ['401 (another token)', () => client({ token: `${CANARY}x` }).listZones()],
    ['403', () => client().deleteZone(zoneUuid)],
    ['404 with the token as the id', () => client().getRecord(CANARY)],
    ['400 echoing the token', () => client().createZone(`${CANARY}.test`)],
    ['400 echoing the token in a record value', () => client().createRecord(zoneUuid, { record_type: 'A', name: 'x', value: CANARY })],
    ['timeout', () => { emu.faults.add({ kind: 'hang', times: Infinity }); return client({ timeoutMs: 100 }).listZones(); }],
    ['502 page', () => { emu.faults.add({ kind: 'html', times: Infinity }); return client().getZone(zoneUuid); }],
    ['outcome unknown', () => {
      emu.faults.add({ kind: 'drop_after', method: 'POST' });
      emu.faults.add({ kind: 'status', status: 500, method: 'GET', times: Infinity });
      return client().createRecord(zoneUuid, { record_type: 'TXT', name: CANARY.toLowerCase().replace(/_/g, '-'), value: CANARY });
    }],
    ['malformed id', () => client().deleteRecord('..')],
    ['connection refused', async () => {
      const port = await new Promise<number>((resolve) => {
        const s = createServer().listen(0, '127.0.0.1', () => {
          const a = s.address();
          s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
        });
      });
      return client({ baseUrl: `http://127.0.0.1:${port}` }).getRecord(CANARY);
    }],
  ];

  it.each(scenarios)('%s', async (_label, run) => {
    const writes: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    log.setLevel('debug');
    let err: unknown;
    try {
      await run();
    } catch (e) {
      err = e;
    } finally {
      log.setLevel('info');
      spy.mockRestore();
    }
    expect(err).toBeInstanceOf(UserError);
    const text = everything(err);
    expect(text.length).toBeGreaterThan(50);
    expect(text).not.toContain(CANARY);
    expect(text).not.toContain(CANARY.slice(4));
    expect(writes.join('')).not.toContain(CANARY.slice(4));
  });

  it('the redactor masks raw, URL-encoded and Bearer forms', () => {
    const token = 'vps_a/b+c';
    expect(redactToken(`x ${token} y ${encodeURIComponent(token)} z`, token)).toBe('x vps_*** y vps_*** z');
    expect(redactToken('authorization: Bearer vps_something_else', token)).toBe('authorization: Bearer ***');
    expect(redactToken('nothing here', undefined)).toBe('nothing here');
  });
});
