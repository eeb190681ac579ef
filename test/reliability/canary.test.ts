/**
 * The canary token through the built server's failure paths: spawned over stdio with debug
 * logging, driven by a 2025-era client (SDK v1) through every fault of the matrix, on reads,
 * writes and gated deletes. Its stdout, its stderr, every result and every notification are
 * scanned; the other reliability files scan their own outputs the same way.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { PERMISSIONS } from '../../src/api/types.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { CANARY, FULL, flush, leaks, scan, tally } from './support/recorder.js';
import { FAULTS } from './support/matrix.js';
import { ZONES } from './support/zones.js';

const BIN = 'dist/index.js';
// The reduced run samples the faults (each waits for the real backoff); the full run takes them all.
const FAULTS_RUN = FULL ? FAULTS : FAULTS.filter((f) => ['429 Retry-After', '502 HTML', 'reset after processing', 'headers timeout', 'malformed JSON', 'page 2 of a list fails'].includes(f.id));
let emu: Emulator;

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first (npm test and npm run test:reliability do).`);
  emu = await startEmulator({ seed: 'empty', tokens: [{ token: CANARY, permissions: [...PERMISSIONS] }], pageSize: 3 });
  for (const z of ZONES) emu.store.addZone(z.domain, z.records);
});
afterAll(async () => {
  await emu?.close();
  flush('canary');
});

const CALLS: Array<[string, Record<string, unknown>]> = [
  ['whoami', {}],
  ['list_zones', {}],
  ['list_records', { zone: 'example.com' }],
  ['create_record', { zone: 'example.com', record_type: 'TXT', name: 'canary', value: 'made under faults' }],
  ['update_ttl', { zone: 'example.com', name: 'www', record_type: 'CNAME', ttl: 900 }],
  ['delete_record', { zone: 'other.test', name: '@', record_type: 'TXT' }],
  ['apply_zone', { zone: 'bulk.test', records: [{ name: 'canary', record_type: 'A', value: '192.0.2.200' }] }],
];

it(`a spawned server under ${FULL ? 'every fault' : 'a sample of the faults'}, with debug logging: no output carries the token`, { timeout: 180_000 }, async () => {
  let stderr = '';
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN],
    env: { PATH: process.env['PATH'] ?? '', VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: CANARY, VPSORG_LOG_LEVEL: 'debug', VPSORG_TIMEOUT_MS: '300' },
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: 'canary-v1', version: '1' });
  client.fallbackNotificationHandler = async (n) => scan(JSON.stringify(n), 'stdio notification');
  await client.connect(transport);
  let results = 0;
  try {
    await client.listTools();
    for (const f of FAULTS_RUN) {
      emu.faults.clear();
      // The calls run together and the next requests fail the same way, so retries (with the built
      // server's real backoff), read-backs and final errors all run. (It honours Retry-After up to
      // 30 s; the matrix checks that, this run need not wait.)
      emu.faults.add({ ...f.rule, ...(f.rule.kind === 'rate_limit' ? { retryAfter: 0 } : {}), times: CALLS.length + 2 });
      const all = await Promise.all(CALLS.map(([name, args]) => client.callTool({ name, arguments: args })));
      all.forEach((res, i) => scan(JSON.stringify(res), `${f.id} ${CALLS[i]?.[0]}`));
      results += all.length;
    }
  } finally {
    emu.faults.clear();
    await client.close();
    scan(stderr, 'stdio stderr');
  }
  expect(results).toBe(FAULTS_RUN.length * CALLS.length);
  // The debug log really ran (it is where request details would leak), and it is clean.
  expect(stderr).toMatch(/debug: /);
  expect(stderr).not.toContain(CANARY.slice(4));
  expect(leaks).toEqual([]);
  expect(tally.canary_leaks).toBe(0);
});
