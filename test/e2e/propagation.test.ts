import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { startBind, type BindInstance } from '../helpers/bind.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

let emu: Emulator;
let h: Harness;
let a: BindInstance;
let b: BindInstance;
let serial = 100;

/** What the provider would deploy: the zone file exported from the emulator's live state. */
async function zoneFile(): Promise<{ text: string; serial: number }> {
  const r = await h.call('export_zone_file', { zone: 'example.com' });
  serial += 1;
  return { text: (r.structured?.['zone_file'] as string).replace(/^\s+\d+ ; serial$/m, `    ${serial} ; serial`), serial };
}

beforeAll(async () => {
  emu = await startEmulator({ seed: 'empty' });
  emu.store.addZone('example.com', [
    { record_type: 'A', name: 'www', value: '192.0.2.10' },
    { record_type: 'MX', name: '@', value: 'mail.example.com', priority: 10 },
    { record_type: 'TXT', name: '@', value: 'v=spf1 -all' },
  ]);
  // Start with a placeholder zone, then publish the real one once the harness can export it.
  const first = { text: '$ORIGIN example.com.\n$TTL 300\n@ IN SOA ns1.vps.org. h.example.com. 1 60 60 600 60\n@ IN NS ns1.vps.org.\n', serial: 1 };
  a = await startBind({ 'example.com': first });
  b = await startBind({ 'example.com': first });
  h = await startHarness({ emu, env: { VPSORG_NAMESERVERS: `ns1.vps.org=127.0.0.1:${a.port},ns2.vps.org=127.0.0.1:${b.port}` } });
  const z = await zoneFile();
  await a.setZone('example.com', z.text, z.serial);
  await b.setZone('example.com', z.text, z.serial);
}, 60_000);

afterAll(async () => {
  await h?.close();
  await emu?.close();
  await a?.stop();
  await b?.stop();
});

describe('check_propagation against two real BIND servers', () => {
  it('in sync: every server serves what the API holds', async () => {
    const r = await h.call('check_propagation', { zone: 'example.com', name: 'www', record_type: 'A' });
    expect(r.isError, r.text).toBeFalsy();
    expect(r.structured?.['propagated']).toBe(true);
    const servers = (r.structured?.['result'] as { servers: Array<{ status: string; aa: boolean; serial: number }> }).servers;
    expect(servers).toHaveLength(2);
    expect(servers.every((s) => s.status === 'in_sync' && s.aa && s.serial === serial)).toBe(true);
    expect(r.text).toMatch(/127\.0\.0\.1/);
  });

  it('a change is pending on the lagging server, then wait mode reports progress and succeeds after its reload', async () => {
    const made = await h.call('create_record', { zone: 'example.com', record_type: 'A', name: 'new', value: '198.51.100.20', ttl: 300 });
    expect(made.isError, made.text).toBeFalsy();
    const z = await zoneFile();
    await a.setZone('example.com', z.text, z.serial);
    const lag = await h.call('check_propagation', { zone: 'example.com', name: 'new', record_type: 'A' });
    expect(lag.structured?.['propagated']).toBe(false);
    const servers = (lag.structured?.['result'] as { servers: Array<{ port: number; status: string }> }).servers;
    expect(servers.find((s) => s.port === a.port)?.status).toBe('in_sync');
    expect(servers.find((s) => s.port === b.port)?.status).toBe('pending');
    expect(lag.structured?.['serials_agree']).toBe(false);

    const progress: Array<{ progress: number; total?: number | undefined }> = [];
    setTimeout(() => void b.setZone('example.com', z.text, z.serial), 1500);
    const waited = (await h.client.callTool(
      { name: 'check_propagation', arguments: { zone: 'example.com', name: 'new', record_type: 'A', wait_seconds: 20 } },
      { onprogress: (p) => progress.push(p) },
    )) as { structuredContent?: { propagated: boolean; result: { rounds: number } } };
    expect(waited.structuredContent?.propagated).toBe(true);
    expect(waited.structuredContent?.result.rounds).toBeGreaterThan(1);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]?.total).toBe(2);
  });

  it('whole-zone mode checks every record set', async () => {
    const r = await h.call('check_propagation', { zone: 'example.com' });
    expect(r.isError, r.text).toBeFalsy();
    expect(r.structured?.['mode']).toBe('zone');
    expect(r.structured?.['propagated']).toBe(true);
    expect(r.structured?.['total_sets']).toBe(4);
  });

  it('explicit expected values that differ are pending; a bad nameserver list is a clear error', async () => {
    const r = await h.call('check_propagation', { zone: 'example.com', name: '@', record_type: 'MX', expected: ['20 other.example.net'] });
    expect(r.structured?.['propagated']).toBe(false);
    const bad = await h.call('check_propagation', { zone: 'example.com', name: 'www', record_type: 'A', nameservers: 'ns1.example.com:99999' });
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/port/);
    const noType = await h.call('check_propagation', { zone: 'example.com', name: 'www' });
    expect(noType.isError).toBe(true);
    expect(noType.text).toMatch(/record_type/);
  });
});
