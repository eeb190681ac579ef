import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEmulatorArgs } from '../../src/emulator/cli.js';
import { DEFAULT_TEST_TOKEN, startEmulator } from '../../src/emulator/index.js';

const dir = mkdtempSync(join(tmpdir(), 'vpsorg-emu-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const auth = { authorization: `Bearer ${DEFAULT_TEST_TOKEN}` };

describe('state file', () => {
  it('persists every change atomically and loads it on the next start', async () => {
    const file = join(dir, 'state.json');
    const first = await startEmulator({ stateFile: file, seed: 'demo' });
    const zone = first.store.findZone('example.com');
    expect(zone?.records).toHaveLength(12);
    const res = await fetch(`${first.url}/api/v1/dns-zones/${zone?.uuid}/records/`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ record_type: 'A', name: 'saved', value: '192.0.2.77' }),
    });
    const saved = (await res.json()) as { uuid: string };
    const serial = first.store.serial(zone?.uuid ?? '');
    await first.close();
    expect(readFileSync(file, 'utf8')).toContain('192.0.2.77');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    // The file wins over the seed: nothing is re-seeded or lost.
    const second = await startEmulator({ stateFile: file, seed: 'empty' });
    try {
      const again = await fetch(`${second.url}/api/v1/dns-records/${saved.uuid}/`, { headers: auth });
      expect(await again.json()).toMatchObject({ name: 'saved', value: '192.0.2.77' });
      expect(second.store.listZones()).toHaveLength(1);
      expect(second.store.getZone(zone?.uuid ?? '')?.record_count).toBe(13);
      expect(second.store.serial(zone?.uuid ?? '')).toBe(serial);
    } finally {
      await second.close();
    }
  });

  it('refuses to start on a corrupt state file, naming it', async () => {
    const file = join(dir, 'corrupt.json');
    writeFileSync(file, '{"version": 1, "zones": [');
    await expect(startEmulator({ stateFile: file })).rejects.toThrow(/corrupt\.json/);
    writeFileSync(file, '{"something": "else"}');
    await expect(startEmulator({ stateFile: file })).rejects.toThrow(/does not hold emulator state/);
  });
});

describe('store API', () => {
  it('adds, finds, lists and resets zones without HTTP, still validating', async () => {
    const emu = await startEmulator({ seed: 'demo' });
    try {
      const demo = emu.store.findZone('EXAMPLE.COM.');
      expect(demo?.records?.map((r) => r.record_type).sort()).toEqual(['A', 'AAAA', 'CAA', 'CAA', 'CNAME', 'MX', 'MX', 'NS', 'NS', 'SRV', 'TXT', 'TXT']);
      const other = emu.store.addZone('other.net', [{ record_type: 'MX', name: '@', value: 'mx.other.net', priority: 5 }], 'acct-2');
      expect(other).toMatchObject({ domain: 'other.net', record_count: 1 });
      expect(emu.store.listZones('acct-2').map((z) => z.uuid)).toEqual([other.uuid]);
      expect(emu.store.listZones()).toHaveLength(2);
      expect(emu.store.allRecords()).toHaveLength(13);
      expect(String(emu.store.serial(other.uuid))).toMatch(/^\d{10}$/);
      expect(emu.store.serial('no-such-zone')).toBe(0);

      expect(() => emu.store.addZone('broken.org', [{ record_type: 'MX', name: '@', value: 'mx.broken.org' }])).toThrow(/priority/);
      expect(emu.store.findZone('broken.org')).toBeUndefined();
      expect(() => emu.store.addZone('not a domain')).toThrow(/Invalid domain/);

      // Copies: changing what the store returned does not change the store.
      const copy = emu.store.getZone(other.uuid);
      copy?.records?.splice(0);
      expect(emu.store.getZone(other.uuid)?.records).toHaveLength(1);

      emu.store.reset();
      expect(emu.store.listZones().map((z) => z.domain)).toEqual(['example.com']);
    } finally {
      await emu.close();
    }
  });
});

describe('CLI', () => {
  it('parses flags and refuses bad ones clearly', () => {
    expect(parseEmulatorArgs([])).toEqual({ port: 8788 });
    expect(parseEmulatorArgs(['--help'])).toBeUndefined();
    expect(
      parseEmulatorArgs(['--port=0', '--host', '::1', '--page-size', '5', '--state', 'x.json', '--seed', 'demo', '--latency-ms', '10', '--token', 'vps_a', '--token', 'vps_b=dns:list']),
    ).toEqual({
      port: 0,
      host: '::1',
      pageSize: 5,
      stateFile: 'x.json',
      seed: 'demo',
      latencyMs: 10,
      tokens: [
        { token: 'vps_a', permissions: ['dns:list', 'dns:create', 'dns:update', 'dns:delete'], name: 'emulator cli token' },
        { token: 'vps_b', permissions: ['dns:list'], name: 'emulator cli token' },
      ],
    });
    expect(() => parseEmulatorArgs(['--bogus'])).toThrow(/Unknown emulator option "--bogus"/);
    expect(() => parseEmulatorArgs(['--port', 'abc'])).toThrow(/--port needs an integer/);
    expect(() => parseEmulatorArgs(['--seed', 'full'])).toThrow(/--seed must be demo or empty/);
    expect(() => parseEmulatorArgs(['--token', 'abc'])).toThrow(/vps_/);
    expect(() => parseEmulatorArgs(['--token', 'vps_x=dns:everything'])).toThrow(/unknown permission/);
  });

  it('runs standalone, prints how to connect, and stops on SIGTERM', async () => {
    const script = "import('./src/emulator/cli.ts').then((m) => m.runEmulatorCli(['--port', '0', '--seed', 'demo'])).catch((e) => { process.stderr.write(String(e)); process.exitCode = 2; })";
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          const m = /VPSORG_API_URL=(\S+) VPSORG_API_TOKEN=(\S+)/.exec(stderr);
          if (m?.[1] && m[2] === DEFAULT_TEST_TOKEN) resolve(m[1]);
        });
        child.on('exit', () => reject(new Error(`emulator exited early: ${stderr}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${url}/api/v1/dns-zones/?domain=example.com`, { headers: auth });
      expect(((await res.json()) as unknown[]).length).toBe(1);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toContain('Emulator stopped.');
    expect(stdout).toBe('');
  });
});
