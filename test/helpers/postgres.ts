/**
 * A throw-away PostgreSQL cluster for the shared-state tests: Debian's server binaries
 * (scripts/install-postgres.sh), a cluster in a temporary folder, listening on a unix socket in
 * that folder only (no TCP port to collide with a neighbour's). PostgreSQL refuses to run as root,
 * and CI runs as root, so there the cluster belongs to the `postgres` system user and the server
 * commands run with its uid and gid.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './bind.js';

const run = promisify(execFile);

/** The newest installed server's bin folder, or null when PostgreSQL is not installed. */
export function postgresBin(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], 'bin') : null;
}

export interface PostgresCluster {
  /** postgres://...?host=<socket dir>: what VPSORG_STATE_URL is set to. */
  url: string;
  dir: string;
  /** Stops the server (fast shutdown); the data stays, so start() brings the same state back. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes the folder. */
  destroy(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

export async function startPostgres(): Promise<PostgresCluster> {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed: run scripts/install-postgres.sh');
  const root = userInfo().uid === 0;
  const dir = mkdtempSync(join(tmpdir(), 'vpsorg-pg-'));
  const data = join(dir, 'data');
  const owner = root ? 'postgres' : userInfo().username;
  const ids: { uid?: number; gid?: number } = {};
  if (root) {
    ids.uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    ids.gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    chownSync(dir, ids.uid, ids.gid);
  }
  chmodSync(dir, 0o755);
  await run(join(bin, 'initdb'), ['-D', data, '-U', owner, '-A', 'trust', '--no-sync', '-E', 'UTF8'], { ...ids, cwd: dir });
  // A port number names the socket file (.s.PGSQL.<port>); nothing listens on TCP.
  const port = await freePort();
  let child: ChildProcess | null = null;
  let log = '';

  const start = async () => {
    const args = ['-D', data, '-k', dir, '-p', String(port), '-c', 'listen_addresses=', '-c', 'fsync=off', '-c', 'max_connections=200'];
    const c = spawn(join(bin, 'postgres'), args, { ...ids, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    child = c;
    live.add(c);
    c.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20000)));
    c.once('exit', () => live.delete(c));
    for (let i = 0; i < 200; i++) {
      if (c.exitCode !== null) throw new Error(`postgres exited:\n${log}`);
      try {
        await run(join(bin, 'pg_isready'), ['-h', dir, '-p', String(port), '-q']);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error(`postgres did not become ready:\n${log}`);
  };
  const stop = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    const gone = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGINT'); // fast shutdown: ends sessions, no waiting for clients
    await gone;
  };
  await start();
  return {
    url: `postgres://${owner}@localhost/postgres?host=${encodeURIComponent(dir)}&port=${port}`,
    dir,
    stop,
    start,
    destroy: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let databases = 0;

/** A database of its own in `cluster`, so tests share the cluster and nothing else; its URL. */
export async function freshDatabase(cluster: PostgresCluster): Promise<string> {
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  const db = `t${process.pid}_${++databases}`;
  await admin.query(`CREATE DATABASE ${db}`);
  await admin.end();
  return cluster.url.replace('/postgres?', `/${db}?`);
}
