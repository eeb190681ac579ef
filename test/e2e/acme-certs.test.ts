/**
 * Real certificates from a real ACME CA: Debian's pebble validates DNS-01 by asking the sandbox's
 * first nameserver while the second one publishes 2 s late, and certbot and lego (default and RAW
 * exec modes) run our hooks. Each run orders example.com and *.example.com together (two values
 * at one name), and leaves the zone as it found it, a pre-existing TXT value there included.
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { createApiClient } from '../../src/api/client.js';
import { startPebble, type Pebble } from '../helpers/pebble.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = `node ${join(ROOT, 'dist/index.js')}`;
const KEEP = 'another-party-s-token-keep-me';

interface Run {
  code: number | null;
  out: string;
}

function run(cmd: string, args: string[], env: Record<string, string>, cwd: string): Promise<Run> {
  return new Promise((done) => {
    execFile(cmd, args, { env, cwd, timeout: 120_000, maxBuffer: 8 << 20 }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}\n${stderr}` });
    });
  });
}

describe('certificates from pebble through our DNS-01 hooks', () => {
  let sb: Sandbox;
  let pebble: Pebble;
  let work: string;
  let env: Record<string, string>;
  const api = () => createApiClient({ baseUrl: sb.env.VPSORG_API_URL, token: sb.env.VPSORG_API_TOKEN, timeoutMs: 5000 });
  const challengeValues = async () => {
    const zone = (await api().listZones({ domain: 'example.com' })).items[0]!;
    return (await api().listZoneRecords(zone.uuid)).items.filter((r) => r.record_type === 'TXT' && r.name.startsWith('_acme-challenge')).map((r) => r.value);
  };

  beforeAll(async () => {
    sb = await startSandbox({ publishDelayMs: [0, 2000] });
    const zone = (await api().listZones({ domain: 'example.com' })).items[0]!;
    await api().createRecord(zone.uuid, { record_type: 'TXT', name: '_acme-challenge', value: KEEP, ttl: 300 });
    pebble = await startPebble(`127.0.0.1:${sb.nameservers[0]!.port}`);
    work = mkdtempSync(join(tmpdir(), 'acme-certs-'));
    env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: work, VPSORG_API_URL: sb.env.VPSORG_API_URL, VPSORG_API_TOKEN: sb.env.VPSORG_API_TOKEN, VPSORG_NAMESERVERS: sb.env.VPSORG_NAMESERVERS };
  }, 60_000);

  afterAll(async () => {
    await pebble?.close();
    await sb?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  function expectCertificate(file: string) {
    const cert = new X509Certificate(readFileSync(file));
    expect(cert.subjectAltName?.split(', ').sort()).toEqual(['DNS:*.example.com', 'DNS:example.com']);
    expect(cert.issuer).toMatch(/Pebble/);
  }

  async function expectZoneAsBefore() {
    expect(await challengeValues()).toEqual([KEEP]);
  }

  const certbotArgs = (dir: string, hookFlags = '') => ['certonly', '--non-interactive', '--agree-tos', '--register-unsafely-without-email', '--server', pebble.directory, '--config-dir', join(dir, 'config'), '--work-dir', join(dir, 'work'), '--logs-dir', join(dir, 'logs'), '--manual', '--preferred-challenges', 'dns', '--manual-auth-hook', `${CLI} acme certbot-auth${hookFlags}`, '--manual-cleanup-hook', `${CLI} acme certbot-cleanup`, '--cert-name', 'both', '-d', 'example.com', '-d', '*.example.com'];

  it('certbot --manual with our auth and cleanup hooks', async () => {
    const dir = join(work, 'certbot');
    const r = await run('certbot', certbotArgs(dir), { ...env, REQUESTS_CA_BUNDLE: pebble.caFile }, work);
    if (process.env['ACME_DEBUG']) console.log(r.out, pebble.log());
    expect(r.code, r.out).toBe(0);
    expectCertificate(join(dir, 'config/live/both/cert.pem'));
    await expectZoneAsBefore();
  }, 120_000);

  // lego runs the exec provider's challenges one after the other, EXEC_SEQUENCE_INTERVAL apart (default 60 s).
  const legoArgs = (dir: string) => ['--accept-tos', '--email', 'certs@example.com', '--server', pebble.directory, '--path', dir, '--dns', 'exec', '--dns.disable-cp', '--dns.resolvers', `127.0.0.1:${sb.nameservers[0]!.port}`, '-d', 'example.com', '-d', '*.example.com', 'run'];
  const legoEnv = (base: Record<string, string>) => ({ ...base, LEGO_CA_CERTIFICATES: pebble.caFile, EXEC_PATH: join(ROOT, 'hooks/lego-exec.sh'), EXEC_PROPAGATION_TIMEOUT: '30', EXEC_SEQUENCE_INTERVAL: '1' });

  for (const mode of ['default', 'RAW'] as const) {
    it(`lego --dns exec (${mode} mode) with hooks/lego-exec.sh`, async () => {
      const dir = join(work, `lego-${mode}`);
      const r = await run('lego', legoArgs(dir), { ...legoEnv(env), ...(mode === 'RAW' ? { EXEC_MODE: 'RAW', EXEC_POLLING_INTERVAL: '1' } : {}) }, work);
      if (process.env['ACME_DEBUG']) console.log(r.out);
      expect(r.code, r.out).toBe(0);
      expectCertificate(join(dir, 'certificates/example.com.crt'));
      await expectZoneAsBefore();
    }, 120_000);
  }

  describe('a nameserver that never publishes', () => {
    let stuck: Sandbox;
    let stuckEnv: Record<string, string>;
    const lagging = () => new RegExp(`_acme-challenge.example.com TXT not served by ns2.vps.org \\(127.0.0.1:${stuck.nameservers[1]!.port}\\)`);
    beforeAll(async () => {
      stuck = await startSandbox({ publishDelayMs: [0, 600_000] });
      stuckEnv = { ...env, VPSORG_API_URL: stuck.env.VPSORG_API_URL, VPSORG_API_TOKEN: stuck.env.VPSORG_API_TOKEN, VPSORG_NAMESERVERS: stuck.env.VPSORG_NAMESERVERS };
    });
    afterAll(() => stuck?.close());

    it('lego: present fails naming the lagging server, and pebble is never asked to validate', async () => {
      const before = pebble.log().length;
      const r = await run('lego', legoArgs(join(work, 'lego-stuck')), { ...legoEnv(stuckEnv), EXEC_PROPAGATION_TIMEOUT: '3' }, work);
      expect(r.code).not.toBe(0);
      expect(r.out).toMatch(lagging());
      expect(r.out).toMatch(/error presenting token/);
      expect(pebble.log().slice(before)).not.toMatch(/POST \/chalZ|Pulled a task|validations/);
    }, 120_000);

    // certbot 2.1 (Debian 12) shows a failing auth hook's output but answers the challenge anyway:
    // the order then fails at the CA, and certbot's output names the lagging server.
    it('certbot: the auth hook fails naming the lagging server, and no certificate is issued', async () => {
      const dir = join(work, 'certbot-stuck');
      const r = await run('certbot', certbotArgs(dir, ' --wait-seconds 3'), { ...stuckEnv, REQUESTS_CA_BUNDLE: pebble.caFile }, work);
      expect(r.code).not.toBe(0);
      expect(r.out).toMatch(lagging());
      expect(existsSync(join(dir, 'config/live/both/cert.pem'))).toBe(false);
    }, 120_000);
  });
});
