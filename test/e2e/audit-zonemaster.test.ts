/**
 * The DS case graded by a reference nobody here wrote: Debian's zonemaster-cli, run as an
 * undelegated test (--ns, --ds) against the fixture internet's zones served on loopback, reports
 * DS11_DS_BUT_UNSIGNED_ZONE exactly where the live audit reports ds_unsigned_zone, and neither
 * reports it without a DS. Zonemaster asks port 53 only: the zones are served on 127.x.y.z:53 (any
 * 127/8 address is loopback on Linux), which needs root or CAP_NET_BIND_SERVICE.
 * Installed by scripts/install-audit-refs.sh; in the external suite (about 6 s per run).
 */
import { execFile } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { startNameservers, type NameserverSet } from '../../src/sandbox/nameservers.js';
import { auditZoneLive } from '../../src/audit/live/index.js';
import { AUDITED, STALE_DS, fixtureResolver, startFixtureInternet } from '../helpers/fixture-internet.js';

let sb: Sandbox;
let on53: NameserverSet;
let address = '';

async function serveOn53(): Promise<void> {
  for (let i = 0; ; i++) {
    address = `127.${randomInt(100, 250)}.${randomInt(1, 250)}.${randomInt(1, 250)}`;
    try {
      on53 = await startNameservers(sb.emu, address, [{ host: 'ns1.vps.org', port: 53, publishDelayMs: 0 }]);
      return;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'EACCES') throw new Error('zonemaster-cli queries port 53 only: run this test as root or with CAP_NET_BIND_SERVICE (or sysctl net.ipv4.ip_unprivileged_port_start=53)');
      if (code !== 'EADDRINUSE' || i > 5) throw err;
    }
  }
}

function zonemaster(zone: string, ds: string[]): Promise<string> {
  const args = ['--no-ipv6', '--no-progress', '--raw', '--show-testcase', '--level', 'ERROR', '--test', 'dnssec', '--ns', `ns1.vps.org/${address}`, ...ds.flatMap((d) => ['--ds', d.split(' ').join(',')]), zone];
  return new Promise((resolve, reject) => {
    execFile('zonemaster-cli', args, { timeout: 120_000 }, (err, stdout, stderr) => {
      if (err && !stdout) reject(new Error(`zonemaster-cli failed (install it: bash scripts/install-audit-refs.sh): ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

const records = (zone: string) => (sb.emu.store.findZone(zone)?.records ?? []).map(({ name, record_type, value, ttl, priority }) => ({ name, record_type, value, ttl, priority: priority ?? null }));

beforeAll(async () => {
  sb = await startFixtureInternet();
  await serveOn53();
});
afterAll(async () => {
  await on53?.close();
  await sb?.close();
});

it('zonemaster-cli reports the DS on the unsigned zone that the live audit reports', async () => {
  const ours = await auditZoneLive(AUDITED, records(AUDITED), fixtureResolver(sb));
  const ds = ours.findings.find((f) => f.code === 'ds_unsigned_zone');
  expect(ds?.message).toContain(STALE_DS);
  const theirs = await zonemaster(AUDITED, [STALE_DS]);
  expect(theirs).toMatch(/DNSSEC11\s+DS11_DS_BUT_UNSIGNED_ZONE/);
}, 150_000);

it('and neither reports it for a zone without a DS', async () => {
  const ours = await auditZoneLive('partner.net', records('partner.net'), fixtureResolver(sb));
  expect(ours.findings.map((f) => f.code)).not.toContain('ds_unsigned_zone');
  expect(await zonemaster('partner.net', [])).not.toMatch(/DS11_DS_BUT_UNSIGNED_ZONE/);
}, 150_000);
