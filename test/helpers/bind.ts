/**
 * Real BIND9 `named` instances on loopback for tests. Each instance gets its own temp dir,
 * config, free port (checked for UDP and TCP: a second named on a busy port starts without
 * error thanks to SO_REUSEPORT and then steals half the queries), rndc control port and key.
 * `rndc reload` exits 0 even for a broken zone file, so zone files are checked with
 * named-checkzone first and every reload waits until the new serial is served.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { queryDns } from '../../src/dns/query.js';
import { soaSerial } from '../../src/dns/values.js';

const run = promisify(execFile);
const BIN_DIRS = ['/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export function findBinary(name: string): string | null {
  for (const d of BIN_DIRS) if (existsSync(join(d, name))) return join(d, name);
  return null;
}

export function bindAvailable(): boolean {
  return ['named', 'rndc', 'named-checkzone'].every((b) => findBinary(b) !== null);
}

function tryPort(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const udp = createSocket('udp4');
    udp.once('error', () => resolve(null));
    udp.bind(port, '127.0.0.1', () => {
      const p = udp.address().port;
      const tcp = createServer();
      tcp.once('error', () => udp.close(() => resolve(null)));
      tcp.listen(p, '127.0.0.1', () => tcp.close(() => udp.close(() => resolve(p))));
    });
  });
}

/** A port free for both UDP and TCP on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const p = await tryPort(0);
    if (p !== null) return p;
  }
  throw new Error('no free loopback port found');
}

/** Last-resort cleanup if a test process exits without afterAll (e.g. a crash): no stray named. */
const live = new Map<number, string>();
process.once('exit', () => {
  for (const [pid, dir] of live) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

export interface BindInstance {
  port: number;
  address: '127.0.0.1';
  dir: string;
  /** Writes, checks and (when running) reloads one zone; resolves once `serial` is served. */
  setZone(origin: string, text: string, serial: number): Promise<void>;
  stop(): Promise<void>;
  log(): string;
}

/** Starts `named` serving `zones` (origin -> zone file text with the given serial). */
export async function startBind(zones: Record<string, { text: string; serial: number }>): Promise<BindInstance> {
  const dir = mkdtempSync(join(tmpdir(), 'vpsorg-bind-'));
  const port = await freePort();
  let control = await freePort();
  while (control === port) control = await freePort();
  const secret = randomBytes(32).toString('base64');
  const keyStanza = `key "rndc-key" { algorithm hmac-sha256; secret "${secret}"; };`;
  const file = (origin: string) => join(dir, `${origin === '.' ? 'root' : origin}.zone`);
  let mtime = Math.floor(Date.now() / 1000);
  const write = async (origin: string, text: string) => {
    writeFileSync(file(origin), text);
    // named skips a reload when the file's mtime has not moved on; writes within one second would be lost.
    mtime += 2;
    utimesSync(file(origin), mtime, mtime);
    await run(findBinary('named-checkzone') as string, ['-q', '-k', 'warn', origin, file(origin)]).catch((err: { stdout?: string }) => {
      throw new Error(`zone ${origin} does not pass named-checkzone:\n${err.stdout ?? ''}\n${text}`);
    });
  };
  for (const [origin, z] of Object.entries(zones)) await write(origin, z.text);
  writeFileSync(join(dir, 'rndc.conf'), `${keyStanza}\noptions { default-key "rndc-key"; default-server 127.0.0.1; default-port ${control}; };\n`);
  writeFileSync(
    join(dir, 'named.conf'),
    [
      'options {',
      `  directory "${dir}"; pid-file "${dir}/named.pid"; session-keyfile "${dir}/session.key"; managed-keys-directory "${dir}";`,
      `  listen-on port ${port} { 127.0.0.1; }; listen-on-v6 { none; };`,
      '  recursion no; dnssec-validation no; notify no; allow-transfer { none; }; check-names primary warn;',
      '};',
      keyStanza,
      `controls { inet 127.0.0.1 port ${control} allow { 127.0.0.1; } keys { "rndc-key"; }; };`,
      ...Object.keys(zones).map((o) => `zone "${o}" { type primary; file "${file(o)}"; };`),
    ].join('\n'),
  );

  let output = '';
  const child: ChildProcess = spawn(findBinary('named') as string, ['-g', '-4', '-n', '1', '-c', join(dir, 'named.conf')], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20000)));
  let exited = false;
  if (child.pid) live.set(child.pid, dir);
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      if (child.pid) live.delete(child.pid);
      resolve();
    }),
  );

  const waitSerial = async (origin: string, serial: number) => {
    for (let i = 0; i < 100; i++) {
      if (exited) throw new Error(`named exited:\n${output}`);
      const r = await queryDns({ address: '127.0.0.1', port }, origin, 'SOA', { timeoutMs: 200, tries: 1, tcpFallback: false });
      const soa = r.ok && r.aa ? r.answers.find((a) => a.type === 'SOA') : undefined;
      if (soa && soaSerial(soa.value) === serial) return;
      await new Promise((res) => setTimeout(res, 30));
    }
    throw new Error(`named on port ${port} did not serve ${origin} serial ${serial}:\n${output}`);
  };
  const stop = async () => {
    if (!exited && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => child.pid && !exited && process.kill(-child.pid, 'SIGKILL'), 3000);
      await exit;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const [origin, z] of Object.entries(zones)) await waitSerial(origin, z.serial);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    port,
    address: '127.0.0.1',
    dir,
    async setZone(origin, text, serial) {
      await write(origin, text);
      await run(findBinary('rndc') as string, ['-c', join(dir, 'rndc.conf'), 'reload', origin]);
      await waitSerial(origin, serial);
    },
    stop,
    log: () => output,
  };
}
