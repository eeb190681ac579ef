/**
 * The VPS.org DNS API emulator: a real HTTP server on loopback that behaves like the provider
 * as described in shared/vpsorg-api.md, for the test suite, `--sandbox` and
 * `vpsorg-dns-mcp emulator`. Where the provider's documentation is silent it follows Django
 * REST Framework, which the API resembles (check order, page objects, 'Invalid page.').
 */
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { defaultTokens, tokenTable } from './accounts.js';
import { seedStore } from './demo.js';
import { Faults } from './faults.js';
import { createHandler, type ServerState } from './server.js';
import { Store } from './store.js';
import type { Emulator, EmulatorOptions, FaultRule } from './types.js';

export { DEFAULT_TEST_TOKEN } from './accounts.js';
export type { Emulator, EmulatorOptions, EmulatorStore, EmulatorToken, FaultRule, RequestLogEntry } from './types.js';

function checkPageSize(n: number | null | undefined): number | null {
  if (n === null || n === undefined) return null;
  if (!Number.isInteger(n) || n < 1) throw new Error(`Emulator pageSize must be a positive integer or null, got ${n}`);
  return n;
}

/** Starts the VPS.org API emulator on loopback (by default on an ephemeral port). */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const host = opts.host ?? '127.0.0.1';
  const seed = opts.seed ?? 'empty';
  const state: ServerState = {
    store: new Store({ stateFile: opts.stateFile, seed: (s) => seedStore(s, seed) }),
    tokens: tokenTable(opts.tokens ?? defaultTokens()),
    faults: new Faults(),
    requests: [],
    pageSize: checkPageSize(opts.pageSize),
    latencyMs: opts.latencyMs ?? 0,
    errorStyle: opts.errorStyle ?? 'documented',
    origin: '',
    closed: false,
    sleepers: new Map(),
  };

  const server = createServer(createHandler(state));
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 0);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  state.origin = url;

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    store: state.store,
    faults: { add: (rule: FaultRule) => state.faults.add(rule), clear: () => state.faults.clear(), release: () => state.faults.release() },
    requests: state.requests,
    setPageSize: (n) => {
      state.pageSize = checkPageSize(n);
    },
    setLatency: (ms) => {
      state.latencyMs = Math.max(0, ms);
    },
    onChange: (cb) => state.store.subscribe(cb),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        state.closed = true;
        for (const [timer, wake] of state.sleepers) {
          clearTimeout(timer);
          wake();
        }
        state.sleepers.clear();
        state.faults.release(); // held requests see `closed` and are dropped unprocessed
        server.close(() => resolve());
        // Hung requests and idle keep-alive connections would otherwise hold close() open.
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
