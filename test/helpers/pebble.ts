/**
 * Debian's pebble (an ACME test CA) on loopback for the certificate tests. Its ACME endpoint has a
 * self-signed certificate made here with openssl (certbot trusts it through REQUESTS_CA_BUNDLE,
 * lego through LEGO_CA_CERTIFICATES). DNS-01 is validated for real against `dnsServer`: never
 * with PEBBLE_VA_ALWAYS_VALID. Nonces are never rejected and authorisations never reused, so
 * every order asks for its challenges.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary, freePort } from './bind.js';

export interface Pebble {
  directory: string;
  /** The CA file that makes the ACME endpoint trusted. */
  caFile: string;
  dir: string;
  /** Everything pebble printed so far (its validation log). */
  log(): string;
  close(): Promise<void>;
}

export function acmeToolsAvailable(): boolean {
  return ['pebble', 'certbot', 'lego', 'openssl'].every((b) => findBinary(b) !== null);
}

function waitForPort(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => s.destroy() && resolve());
      s.once('error', () => {
        s.destroy();
        if (Date.now() > until) reject(new Error(`pebble did not listen on ${port} within ${ms} ms`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

export async function startPebble(dnsServer: string): Promise<Pebble> {
  const dir = mkdtempSync(join(tmpdir(), 'pebble-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  const [port, mgmt, http, tls] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const config = { pebble: { listenAddress: `127.0.0.1:${port}`, managementListenAddress: `127.0.0.1:${mgmt}`, certificate: cert, privateKey: key, httpPort: http, tlsPort: tls, ocspResponderURL: '', externalAccountBindingRequired: false } };
  writeFileSync(join(dir, 'pebble.json'), JSON.stringify(config));
  let out = '';
  const child: ChildProcess = spawn('pebble', ['-config', join(dir, 'pebble.json'), '-dnsserver', dnsServer], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0', PEBBLE_AUTHZREUSE: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const closed = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForPort(port, 10_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${out}`);
  }
  return {
    directory: `https://127.0.0.1:${port}/dir`,
    caFile: cert,
    dir,
    log: () => out,
    async close() {
      child.kill('SIGTERM');
      await closed;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
