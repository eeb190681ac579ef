import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { startEmulator, DEFAULT_TEST_TOKEN, type Emulator } from '../../src/emulator/index.js';

let emu: Emulator;
const open: Harness[] = [];
async function harness(env: Record<string, string | undefined>): Promise<Harness> {
  const h = await startHarness({ emu, env });
  open.push(h);
  return h;
}

beforeAll(async () => {
  emu = await startEmulator({
    seed: 'demo',
    tokens: [
      { token: DEFAULT_TEST_TOKEN, permissions: ['dns:list', 'dns:create', 'dns:update', 'dns:delete'] },
      { token: 'vps_readonly_token_1234', permissions: ['dns:list'] },
    ],
  });
});
afterAll(async () => {
  for (const h of open) await h.close();
  await emu.close();
});
beforeEach(() => {
  emu.faults.clear();
  emu.requests.length = 0;
});

describe('token problems', () => {
  it('no token: tools are listed, and each API tool says how to set one', async () => {
    const h = await harness({ VPSORG_API_TOKEN: undefined });
    expect(await h.toolNames()).toContain('list_zones');
    const r = await h.call('list_zones');
    expect(r.isError).toBe(true);
    expect(r.text).toContain('VPSORG_API_TOKEN');
    expect(emu.requests).toEqual([]);
  });

  it('a token without the vps_ prefix is refused before any request', async () => {
    const h = await harness({ VPSORG_API_TOKEN: 'abc123' });
    const r = await h.call('whoami');
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/vps_/);
    expect(r.text).not.toContain('abc123');
    expect(emu.requests).toEqual([]);
  });

  it('401: an unknown token says to check it', async () => {
    const h = await harness({ VPSORG_API_TOKEN: 'vps_unknown_token_999' });
    const r = await h.call('list_zones');
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/token/i);
    expect(r.text).not.toContain('vps_unknown_token_999');
  });

  it('403: names the missing permission and where tokens are made', async () => {
    const h = await harness({ VPSORG_API_TOKEN: 'vps_readonly_token_1234' });
    const r = await h.call('create_zone', { domain: 'forbidden.example' });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('dns:create');
    expect(r.text).toContain('/account/developers/');
  });
});

describe('provider failures', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ VPSORG_TIMEOUT_MS: '300' });
  });

  it('429 beyond the retries: says it is rate limited', async () => {
    emu.faults.add({ kind: 'rate_limit', method: 'GET', retryAfter: 0, times: 10 });
    const r = await h.call('list_zones');
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/rate|429|too many/i);
  });

  it('429 once with Retry-After is retried and succeeds', async () => {
    emu.faults.add({ kind: 'rate_limit', method: 'GET', retryAfter: 0, times: 1 });
    const r = await h.call('list_zones');
    expect(r.isError).toBeFalsy();
  });

  it('502 with an HTML page: summarised, no markup dumped', async () => {
    emu.faults.add({ kind: 'html', status: 502, times: 10 });
    const r = await h.call('list_zones');
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/502/);
    expect(r.text).not.toMatch(/<html|<body/i);
  });

  it('a hung API times out with a clear message', async () => {
    emu.faults.add({ kind: 'hang', times: 10 });
    const r = await h.call('list_zones');
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/did not answer .* within 300 ms/);
  });

  it('a 500 on a create is read back before anything is re-sent: exactly one record', async () => {
    emu.faults.add({ kind: 'status', status: 500, method: 'POST', times: 1 });
    const r = await h.call('create_record', { zone: 'example.com', record_type: 'A', name: 'x500', value: '192.0.2.50' });
    expect(r.isError).toBeFalsy();
    expect(emu.store.allRecords().filter((x) => x.name === 'x500')).toHaveLength(1);
  });

  it('a create that keeps failing is reported, and no record is half-made', async () => {
    emu.faults.add({ kind: 'status', status: 500, method: 'POST', times: 10 });
    const before = emu.store.allRecords().length;
    const r = await h.call('create_record', { zone: 'example.com', record_type: 'A', name: 'y500', value: '192.0.2.51' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/500|server/i);
    expect(emu.store.allRecords().length).toBe(before);
  });
});
