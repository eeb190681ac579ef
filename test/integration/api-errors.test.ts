import { randomUUID } from 'node:crypto';
import { Agent } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClientOptions } from '../../src/api/client.js';
import {
  AuthenticationError, BadRequestError, NotFoundError, PermissionDeniedError, ServerError, UnexpectedResponseError,
} from '../../src/api/errors.js';
import { DEFAULT_TEST_TOKEN, startEmulator, type Emulator } from '../../src/emulator/index.js';
import { UserError } from '../../src/errors.js';

// What each error status looks like to the user: typed, actionable, never a dumped page.
const READ_ONLY = 'vps_readonly_token_1234';
let emu: Emulator;
let zoneUuid: string;
const agent = new Agent();
const client = (over: Partial<ApiClientOptions> = {}) =>
  createApiClient({ baseUrl: emu.url, token: DEFAULT_TEST_TOKEN, retryBaseMs: 1, maxRetries: 2, dispatcher: agent, ...over });
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as UserError);

beforeAll(async () => {
  emu = await startEmulator({
    seed: 'demo',
    tokens: [
      { token: DEFAULT_TEST_TOKEN, permissions: ['dns:list', 'dns:create', 'dns:update', 'dns:delete'] },
      { token: READ_ONLY, permissions: ['dns:list'] },
    ],
  });
  zoneUuid = emu.store.findZone('example.com')?.uuid ?? '';
});
afterAll(async () => {
  await emu.close();
  await agent.close();
});
beforeEach(() => {
  emu.faults.clear();
  emu.requests.length = 0;
});

describe('4xx answers', () => {
  it('400 in the documented style names the field and the rule', async () => {
    const err = await failure(client().createRecord(zoneUuid, { record_type: 'MX', name: 'm', value: 'mail.example.com' }));
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err).toMatchObject({ status: 400, code: 'validation', field: 'priority' });
    // The provider's own words are quoted apart from the message (shown in a data block, issue 21.8).
    expect(err.message).toMatch(/1 problem, quoted below\. Fix priority and try again/);
    expect(err.quoted?.lines.join('\n')).toMatch(/priority: MX records require a priority value/);
    expect(err.quoted?.lines.join('\n')).toContain('validation_error');
    expect(err.message).not.toContain('MX records require');
    expect(emu.requests).toHaveLength(1); // a 400 is never retried
  });

  it('400 in DRF field style names the field too, and non_field_errors', async () => {
    const drf = await startEmulator({ seed: 'demo', errorStyle: 'drf' });
    try {
      const api = createApiClient({ baseUrl: drf.url, token: DEFAULT_TEST_TOKEN, dispatcher: agent });
      const zone = drf.store.findZone('example.com')?.uuid ?? '';
      const err = await failure(api.createRecord(zone, { record_type: 'MX', name: 'm', value: 'mail.example.com' }));
      expect(err).toBeInstanceOf(BadRequestError);
      expect(err).toMatchObject({ field: 'priority', details: { problems: [{ field: 'priority' }] } });
      expect(err.quoted?.lines.join('\n')).toMatch(/priority: .*priority/i);
      const exists = await failure(api.createZone('example.com'));
      expect(exists).toBeInstanceOf(BadRequestError);
      expect(exists.quoted?.lines.join('\n')).toMatch(/example\.com/);
      expect(exists.quoted?.lines.join('\n')).not.toMatch(/\[|\{/); // no raw JSON structure
    } finally {
      await drf.close();
    }
  });

  it('401 says to check the token and where to make one', async () => {
    const err = await failure(client({ token: 'vps_not_a_known_token' }).listZones());
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err).toMatchObject({ status: 401, code: 'auth' });
    expect(err.message).toContain('vps_');
    expect(err.message).toContain('https://admin.vps.org/account/developers/');
    expect(emu.requests).toHaveLength(1);
  });

  it('403 names the missing permission from the body', async () => {
    const err = await failure(client({ token: READ_ONLY }).createRecord(zoneUuid, { record_type: 'A', name: 'x', value: '192.0.2.1' }));
    expect(err).toBeInstanceOf(PermissionDeniedError);
    expect(err).toMatchObject({ status: 403, code: 'permission', permission: 'dns:create' });
    expect(err.message).toContain('dns:create');
    expect(err.message).toContain('/account/developers/');
  });

  it.each([
    ['DELETE', 'dns:delete'],
    ['PATCH', 'dns:update'],
    ['GET', 'dns:list'],
  ])('403 without a named permission infers it from %s', async (method, permission) => {
    emu.faults.add({ kind: 'status', status: 403, method });
    const api = client();
    const id = randomUUID();
    const call = method === 'DELETE' ? api.deleteRecord(id) : method === 'PATCH' ? api.patchRecord(id, { ttl: 60 }) : api.getRecord(id);
    const err = await failure(call);
    expect(err).toBeInstanceOf(PermissionDeniedError);
    expect((err as PermissionDeniedError).permission).toBe(permission);
    expect(err.message).toContain(permission);
  });

  it('404 says which id to verify', async () => {
    const rec = await failure(client().getRecord(randomUUID()));
    expect(rec).toBeInstanceOf(NotFoundError);
    expect(rec.message).toMatch(/record id/);
    expect(rec.message).toMatch(/belongs to the account/);
    const zone = await failure(client().listZoneRecords(randomUUID()));
    expect(zone).toBeInstanceOf(NotFoundError);
    expect(zone.message).toMatch(/zone id/);
  });

  it('a zone of another account is not found either', async () => {
    const other = emu.store.addZone('other-account.test', [], 'acct-2');
    const err = await failure(client().getZone(other.uuid));
    expect(err).toBeInstanceOf(NotFoundError);
  });
});

describe('5xx and broken answers', () => {
  it('500 is retried and then surfaces as ServerError', async () => {
    emu.faults.add({ kind: 'status', status: 500, times: Infinity });
    const err = await failure(client({ maxRetries: 2 }).listZones());
    expect(err).toBeInstanceOf(ServerError);
    expect(err).toMatchObject({ status: 500, code: 'server_error' });
    expect(err.message).toMatch(/try again/);
    expect(err.message).toMatch(/3 attempts/);
    expect(emu.requests).toHaveLength(3);
  });

  it('a 502 HTML page is summarised, never dumped, and retried', async () => {
    emu.faults.add({ kind: 'html', status: 502, times: Infinity });
    const err = await failure(client({ maxRetries: 1 }).getZone(zoneUuid));
    expect(err).toBeInstanceOf(ServerError);
    expect(err.message).toContain('502 Bad Gateway');
    expect(err.message).not.toMatch(/<|>|nginx|DOCTYPE/);
    emu.faults.clear();
    emu.faults.add({ kind: 'html', status: 503 });
    await expect(client().getZone(zoneUuid)).resolves.toMatchObject({ domain: 'example.com' });
  });

  it.each([
    ['malformed_json', /malformed JSON/],
    ['empty', /empty body/],
  ] as const)('%s on a 200 is UnexpectedResponseError, not retried', async (kind, pattern) => {
    emu.faults.add({ kind, times: Infinity });
    const err = await failure(client().getZone(zoneUuid));
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect(err.message).toMatch(pattern);
    expect(emu.requests).toHaveLength(1);
  });

  it('a redirect is refused, naming only the target host', async () => {
    emu.faults.add({ kind: 'redirect', location: 'http://127.0.0.1:1/secret/path?x=1' });
    const err = await failure(client().listZones());
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect(err).toMatchObject({ status: 302 });
    expect(err.message).toContain('127.0.0.1:1');
    expect(err.message).toMatch(/API URL may be wrong/);
    expect(err.message).not.toContain('/secret/path');
    expect(emu.requests).toHaveLength(1);
  });
});

describe('hostile ids stay inside the documented paths', () => {
  it.each(['../../x', 'a?b#c', '../account/me', '%2e%2e/x', 'a/b', 'x y', '..%2F..%2F'])('%j', async (id) => {
    const api = client({ maxRetries: 0 });
    await failure(api.getRecord(id));
    await failure(api.deleteRecord(id));
    await failure(api.listZoneRecords(id));
    await failure(api.patchRecord(id, { ttl: 60 }));
    expect(emu.requests).toHaveLength(4);
    for (const r of emu.requests) {
      expect(r.query).toBe('');
      expect(r.path).toMatch(/^\/api\/v1\/(dns-records\/[^/]+\/|dns-zones\/[^/]+\/records\/)$/);
    }
    expect(emu.store.findZone('example.com')?.records?.length).toBeGreaterThan(0);
  });

  it.each(['..', '.', '%2E%2E', '.%2e', '', ' '])('%j is refused without a request', async (id) => {
    const err = await failure(client().deleteRecord(id));
    expect(err).toMatchObject({ code: 'validation', field: 'id' });
    expect(emu.requests).toHaveLength(0);
  });
});
