/**
 * Server processes over HTTP for the replica tests (issue 24): each a real `--http` process with
 * its own MCP client; the caller passes what they share (VPSORG_CONFIRM_SECRET, VPSORG_STATE_URL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { BIN } from './cli.js';
import { startPostgres, type PostgresCluster } from './postgres.js';
import { startEmulator, DEFAULT_TEST_TOKEN, type Emulator } from '../../src/emulator/index.js';

export const REPLICA_KEY = 'test-access-key-0123456789abcdef';

export interface Replica {
  url: string;
  child: ChildProcess;
  client: Client;
}

/** A server process with `env` (and only PATH besides), once it listens, and a client connected to it. */
export async function replica(env: Record<string, string>): Promise<Replica> {
  const child = spawn(process.execPath, [BIN, '--http', '--port', '0'], { env: { PATH: process.env['PATH'] ?? '', VPSORG_MCP_HTTP_KEY: REPLICA_KEY, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  for (let i = 0; i < 2400 && !/at http:\/\/127\.0\.0\.1:\d+\/mcp/.test(err) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 25));
  const url = /(http:\/\/127\.0\.0\.1:\d+)\/mcp/.exec(err)?.[1];
  if (!url) throw new Error(`the server did not start: ${err}`);
  const client = new Client({ name: 'replicas-test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${REPLICA_KEY}` } } }));
  return { url, child, client };
}

/** SIGTERM and wait (or nothing, when it is gone already: a test killed it). */
export async function stopReplica(r: Replica | undefined): Promise<void> {
  if (!r) return;
  await r.client.close().catch(() => undefined);
  if (r.child.exitCode !== null || r.child.signalCode !== null) return;
  r.child.kill('SIGTERM');
  await new Promise((done) => r.child.once('exit', done));
}

export interface Called {
  isError: boolean;
  text: string;
  structured: Record<string, unknown> | undefined;
  code: string | undefined;
  reason: string | undefined;
}

export async function callReplica(r: Replica, name: string, args: Record<string, unknown>): Promise<Called> {
  const raw = (await r.client.callTool({ name, arguments: args })) as { isError?: boolean; content?: Array<{ text?: string }>; structuredContent?: Record<string, unknown>; _meta?: Record<string, { code?: string; details?: { reason?: string } }> };
  const err = raw._meta?.['vpsorg-dns-mcp/error'];
  return { isError: raw.isError === true, text: (raw.content ?? []).map((c) => c.text ?? '').join('\n'), structured: raw.structuredContent, code: err?.code, reason: err?.details?.reason };
}

export const REPLICA_SECRET = 'replicas-secret-0123456789abcdef';

export interface ReplicaPair {
  pg: PostgresCluster;
  /** What both were started with (the API, the secret, the cluster's URL): a third, or a restart, takes it too. */
  env: Record<string, string>;
  /** Replace one (after a test killed it) by assigning a new `replica(pair.env)`: close() stops the current two. */
  a: Replica;
  b: Replica;
  close(): Promise<void>;
}

async function pairOn(pg: PostgresCluster, env: Record<string, string>): Promise<ReplicaPair> {
  const shared = { VPSORG_CONFIRM_SECRET: REPLICA_SECRET, VPSORG_STATE_URL: pg.url, ...env };
  const [a, b] = await Promise.allSettled([replica(shared), replica(shared)]);
  if (a.status === 'rejected' || b.status === 'rejected') {
    await Promise.all([a, b].map((r) => (r.status === 'fulfilled' ? stopReplica(r.value) : undefined)));
    await pg.destroy();
    throw a.status === 'rejected' ? a.reason : (b as PromiseRejectedResult).reason;
  }
  const pair: ReplicaPair = {
    pg,
    env: shared,
    a: a.value,
    b: b.value,
    async close() {
      await Promise.all([stopReplica(pair.a), stopReplica(pair.b)]);
      await pg.destroy();
    },
  };
  return pair;
}

/** A throw-away cluster and two replicas sharing it and one secret; `env`: the API and what else both get. */
export async function startReplicas(env: Record<string, string>): Promise<ReplicaPair> {
  return pairOn(await startPostgres(), env);
}

export type EmulatedReplicas = ReplicaPair & { emu: Emulator };

/** The same against an emulator of their own (seed 'demo'), in token mode; `env`: what else both get. */
export async function emulatedReplicas(env: Record<string, string> = {}): Promise<EmulatedReplicas> {
  const [pg, emu] = await Promise.all([startPostgres(), startEmulator({ seed: 'demo' })]);
  const pair = await pairOn(pg, { VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN, VPSORG_CONFIRM_MODE: 'token', ...env }).catch(async (err: unknown) => {
    await emu.close();
    throw err;
  });
  const stop = pair.close;
  return Object.assign(pair, {
    emu,
    async close() {
      await stop();
      await emu.close();
    },
  });
}
