import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { argsDigest } from '../../src/safety/confirm.js';
import { apiFor, deletes, recordOf, seed, writes } from './safety-helpers.js';

// The token flow, as a client without elicitation sees it (the default mode, both, falls back to it).
let emu: Emulator;
let h: Harness;
const SECRET = 'e2e-shared-secret-0123456789';

beforeAll(async () => {
  emu = await startEmulator({ seed: 'empty' });
  h = await startHarness({ emu, env: { VPSORG_CONFIRM_SECRET: SECRET } });
});
afterAll(async () => {
  await h.close();
  await emu.close();
});
beforeEach(() => seed(emu));
afterEach(() => vi.useRealTimers());

const WWW = { zone: 'example.com', name: 'www', record_type: 'A' };
const token = (r: { structured: Record<string, unknown> | undefined }) => r.structured?.['confirm_token'] as string;

async function preview(tool: string, args: Record<string, unknown>) {
  const r = await h.call(tool, args);
  expect(r.isError, r.text).toBeFalsy();
  expect(r.structured?.['confirmation']).toBe('required');
  expect(deletes(emu)).toHaveLength(0);
  return token(r);
}

async function expectRefused(tool: string, args: Record<string, unknown>, message: RegExp) {
  const r = await h.call(tool, args);
  expect(r.isError, r.text).toBe(true);
  expect(r.text).toMatch(message);
  expect(deletes(emu)).toHaveLength(0);
  return r;
}

describe('delete_record through the token gate', () => {
  it('1. without a token: nothing is deleted; the preview has the diff in a data block, a snapshot and a token', async () => {
    const r = await h.call('delete_record', WWW);
    expect(r.isError).toBeFalsy();
    expect(writes(emu)).toEqual([]);
    expect(r.structured).toMatchObject({ confirmation: 'required', applied: false, zone: { domain: 'example.com' } });
    expect(r.text).toMatch(/<<<DATA[^\n]*\n- www 3600 IN A 192\.0\.2\.10 ; www\.example\.com\.\n>>>DATA/);
    expect(r.structured?.['snapshot']).toMatch(/^www\s+3600 IN A\s+192\.0\.2\.10$/m);
    expect(r.text).toContain(`confirm_token: ${token(r)}`);
    expect(new Date(r.structured?.['expires_at'] as string).getTime() - Date.now()).toBeGreaterThan(4 * 60_000);
  });

  it('2. with the token from the preview: exactly one DELETE, of that record', async () => {
    const uuid = recordOf(emu, 'example.com', 'www', 'A').uuid;
    const t = await preview('delete_record', WWW);
    const r = await h.call('delete_record', { ...WWW, confirm_token: t });
    expect(r.isError, r.text).toBeFalsy();
    expect(r.structured).toMatchObject({ confirmation: 'confirmed_by_token', applied: true });
    expect(deletes(emu).map((d) => d.path)).toEqual([`/api/v1/dns-records/${uuid}/`]);
    expect(emu.store.findZone('example.com')?.records?.some((x) => x.uuid === uuid)).toBe(false);
  });

  it('3. replayed after success: refused as already deleted, still one DELETE', async () => {
    const t = await preview('delete_record', WWW);
    await h.call('delete_record', { ...WWW, confirm_token: t });
    const again = await h.call('delete_record', { ...WWW, confirm_token: t });
    expect(again.isError).toBe(true);
    expect(again.text).toMatch(/no longer exists: it was already deleted/);
    expect(deletes(emu)).toHaveLength(1);
  });

  it('4. a made-up token is refused as forged', async () => {
    await expectRefused('delete_record', { ...WWW, confirm_token: 'eyJ2IjoxfQ.c2lnbmF0dXJlLW9mLXRoZS1yaWdodC1sZW5ndGgtMzJi' }, /integrity check/);
  });

  it('5. a token whose payload was edited to name another target is refused as forged', async () => {
    const t = await preview('delete_record', WWW);
    const [body, mac] = t.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    const other = { zone: 'example.com', name: 'api', record_type: 'A' };
    payload['args'] = argsDigest(other);
    const edited = `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${mac}`;
    await expectRefused('delete_record', { ...other, confirm_token: edited }, /integrity check/);
  });

  it('6. a token signed by a server with another secret is refused as forged', async () => {
    const stranger = await startHarness({ emu, env: { VPSORG_CONFIRM_SECRET: 'some-other-secret-9876543210' } });
    try {
      const t = token(await stranger.call('delete_record', WWW));
      await expectRefused('delete_record', { ...WWW, confirm_token: t }, /integrity check.*another key/);
    } finally {
      await stranger.close();
    }
  });

  it('7. a malformed token is refused as such', async () => {
    await expectRefused('delete_record', { ...WWW, confirm_token: 'yes' }, /not one this server issued \(malformed\)/);
  });

  it('8. an expired token is refused (clock moved past five minutes)', async () => {
    const t = await preview('delete_record', WWW);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 5 * 60_000 + 1000);
    await expectRefused('delete_record', { ...WWW, confirm_token: t }, /expired at/);
  });

  it('9. a token for another record of the same zone is refused', async () => {
    const t = await preview('delete_record', WWW);
    await expectRefused('delete_record', { zone: 'example.com', name: 'api', record_type: 'A', confirm_token: t }, /issued for other arguments/);
  });

  it('10. arguments altered (a value filter added) are refused', async () => {
    const t = await preview('delete_record', WWW);
    await expectRefused('delete_record', { ...WWW, value: '192.0.2.10', confirm_token: t }, /issued for other arguments/);
  });

  it('11. a delete_record token cannot confirm delete_zone', async () => {
    const t = await preview('delete_record', WWW);
    await expectRefused('delete_zone', { zone: 'example.com', confirm_token: t }, /issued for delete_record, not delete_zone/);
  });

  it('12. the record value changed between preview and confirm: refused', async () => {
    const t = await preview('delete_record', WWW);
    await apiFor(emu).patchRecord(recordOf(emu, 'example.com', 'www', 'A').uuid, { value: '192.0.2.99' });
    await expectRefused('delete_record', { ...WWW, confirm_token: t }, /no longer as previewed/);
  });

  it('13. the TTL changed between preview and confirm: refused', async () => {
    const t = await preview('delete_record', WWW);
    await apiFor(emu).patchRecord(recordOf(emu, 'example.com', 'www', 'A').uuid, { ttl: 120 });
    await expectRefused('delete_record', { ...WWW, confirm_token: t }, /no longer as previewed/);
  });

  it('14. deleted and re-created with the same content (a new uuid): refused', async () => {
    const t = await preview('delete_record', WWW);
    const api = apiFor(emu);
    const zone = emu.store.findZone('example.com')?.uuid as string;
    await api.deleteRecord(recordOf(emu, 'example.com', 'www', 'A').uuid);
    await api.createRecord(zone, { record_type: 'A', name: 'www', value: '192.0.2.10', ttl: 3600 });
    emu.requests.length = 0;
    await expectRefused('delete_record', { ...WWW, confirm_token: t }, /no longer as previewed/);
  });

  it('15. dry_run previews without a token; dry_run with a token is refused', async () => {
    const r = await h.call('delete_record', { ...WWW, dry_run: true });
    expect(r.structured).toMatchObject({ confirmation: 'dry_run', applied: false });
    expect(r.structured?.['confirm_token']).toBeUndefined();
    const t = await preview('delete_record', WWW);
    await expectRefused('delete_record', { ...WWW, dry_run: true, confirm_token: t }, /dry_run: true only previews/);
  });
});

describe('delete_zone through the token gate', () => {
  it('16. preview holds every record and a full BIND snapshot; the token deletes the zone once', async () => {
    const p = await h.call('delete_zone', { zone: 'example.com' });
    expect((p.structured?.['changes'] as unknown[]).length).toBe(7);
    expect(p.structured?.['snapshot']).toMatch(/\$ORIGIN example\.com\.[\s\S]*IN SOA[\s\S]*IN NS\s+ns1\.vps\.org\./);
    const r = await h.call('delete_zone', { zone: 'example.com', confirm_token: token(p) });
    expect(r.structured).toMatchObject({ confirmation: 'confirmed_by_token', applied: true });
    expect(deletes(emu).map((d) => d.path)).toEqual([expect.stringMatching(/^\/api\/v1\/dns-zones\/[^/]+\/$/)]);
    expect(emu.store.findZone('example.com')).toBeUndefined();
  });

  it('17. a record added to the zone after the preview voids the token', async () => {
    const t = await preview('delete_zone', { zone: 'example.com' });
    await apiFor(emu).createRecord(emu.store.findZone('example.com')?.uuid as string, { record_type: 'A', name: 'new', value: '192.0.2.77' });
    await expectRefused('delete_zone', { zone: 'example.com', confirm_token: t }, /no longer as previewed/);
    expect(emu.store.findZone('example.com')).toBeDefined();
  });

  it('18. a token for one zone cannot delete another', async () => {
    const t = await preview('delete_zone', { zone: 'example.com' });
    await expectRefused('delete_zone', { zone: 'other.org', confirm_token: t }, /issued for other arguments/);
  });

  it('19. replayed after the zone is gone: refused as already deleted', async () => {
    const t = await preview('delete_zone', { zone: 'example.com' });
    await h.call('delete_zone', { zone: 'example.com', confirm_token: t });
    const r = await h.call('delete_zone', { zone: 'example.com', confirm_token: t });
    expect(r.text).toMatch(/already deleted/);
    expect(deletes(emu)).toHaveLength(1);
  });

  it('20. replicas sharing VPSORG_CONFIRM_SECRET accept each other\'s tokens (stateless)', async () => {
    const replica = await startHarness({ emu, env: { VPSORG_CONFIRM_SECRET: SECRET } });
    try {
      const t = await preview('delete_zone', { zone: 'other.org' });
      const r = await replica.call('delete_zone', { zone: 'other.org', confirm_token: t });
      expect(r.isError, r.text).toBeFalsy();
      expect(deletes(emu)).toHaveLength(1);
    } finally {
      await replica.close();
    }
  });
});

describe('policy around the gate', () => {
  it('21. VPSORG_CONFIRM_MODE=elicit: a client without elicitation gets a clear error, and tokens are refused', async () => {
    const strict = await startHarness({ emu, env: { VPSORG_CONFIRM_MODE: 'elicit', VPSORG_CONFIRM_SECRET: SECRET } });
    try {
      const r = await strict.call('delete_zone', { zone: 'example.com' });
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/cannot show the confirmation form/);
      const t = await preview('delete_zone', { zone: 'example.com' });
      const withToken = await strict.call('delete_zone', { zone: 'example.com', confirm_token: t });
      expect(withToken.text).toMatch(/confirm_token is not accepted here/);
      expect(deletes(emu)).toHaveLength(0);
    } finally {
      await strict.close();
    }
  });

  it('22. VPSORG_ALLOWED_ZONES: deletes outside the list are refused before any request, by name or uuid', async () => {
    const fenced = await startHarness({ emu, env: { VPSORG_ALLOWED_ZONES: 'other.org' } });
    try {
      const byName = await fenced.call('delete_zone', { zone: 'example.com' });
      expect(byName.text).toMatch(/outside VPSORG_ALLOWED_ZONES/);
      expect(emu.requests).toEqual([]);
      const zoneUuid = emu.store.findZone('example.com')?.uuid as string;
      const byUuid = await fenced.call('delete_zone', { zone: zoneUuid });
      expect(byUuid.text).toMatch(/outside VPSORG_ALLOWED_ZONES/);
      const rec = await fenced.call('delete_record', { record: recordOf(emu, 'example.com', 'www', 'A').uuid });
      expect(rec.isError).toBe(true);
      const t = await preview('delete_record', WWW);
      const replay = await fenced.call('delete_record', { ...WWW, confirm_token: t });
      expect(replay.isError).toBe(true);
      expect(writes(emu)).toEqual([]);
    } finally {
      await fenced.close();
    }
  });

  it('23. a record uuid targets the record wherever it is, and the token stays bound to it', async () => {
    const uuid = recordOf(emu, 'other.org', 'www', 'A').uuid;
    const t = await preview('delete_record', { record: uuid });
    const r = await h.call('delete_record', { record: uuid, confirm_token: t });
    expect(r.structured?.['zone']).toMatchObject({ domain: 'other.org' });
    expect(deletes(emu).map((d) => d.path)).toEqual([`/api/v1/dns-records/${uuid}/`]);
  });

  it('24. an ambiguous target is refused before a preview, with no token issued', async () => {
    const api = apiFor(emu);
    await api.createRecord(emu.store.findZone('example.com')?.uuid as string, { record_type: 'A', name: 'www', value: '192.0.2.11' });
    emu.requests.length = 0;
    const r = await expectRefused('delete_record', WWW, /2 A records at www/);
    expect(r.structured).toBeUndefined();
  });
});
