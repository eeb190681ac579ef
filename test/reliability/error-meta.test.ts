/**
 * An isError result carries the error as data in `_meta["vpsorg-dns-mcp/error"]`: code, field,
 * hint, details (apply_zone's applied / failed / not_applied lists among them), for clients of
 * both protocol eras. The interrupted-apply runs rely on it to check each report.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ERROR_META_KEY } from '../../src/server.js';
import { flush } from './support/recorder.js';
import { startWorld, type World } from './support/world.js';
import { ZONES, bulkPlan20 } from './support/zones.js';
import { callAgreeing } from '../helpers/harness.js';

const BIN = 'dist/index.js';
let w: World;

beforeAll(async () => {
  w = await startWorld({ zones: ZONES });
});
afterAll(async () => {
  await w?.close();
  flush('error-meta');
});

it('a validation error names its field as data (2026-07-28 client, in memory)', async () => {
  const r = await w.call('create_record', { zone: 'example.com', record_type: 'A', name: 'x', value: '300.1.2.3' });
  expect(r.isError).toBe(true);
  expect(r.error).toMatchObject({ code: 'validation', field: 'value', details: { problems: [expect.objectContaining({ field: 'value' })] } });
});

it('a partial apply_zone lists applied, failed and not_applied as data', async () => {
  w.emu.faults.add({ kind: 'html', status: 502, method: 'POST', times: Infinity });
  // 20 changes are over the zone's change budget (creates count): confirmed as a user would, then partly applied.
  const r = (await callAgreeing(w, 'apply_zone', { zone: 'bulk.test', records: bulkPlan20() })) as Awaited<ReturnType<World['call']>>;
  w.emu.faults.clear();
  expect(r.isError).toBe(true);
  expect(r.error?.code).toBe('partial');
  const d = r.error?.details as { applied: unknown[]; failed: Array<{ error: string }>; not_applied: unknown[] };
  expect(d.applied.length + d.failed.length + d.not_applied.length).toBe(20);
  expect(d.failed.length).toBeGreaterThan(0);
  expect(d.failed[0]?.error).toMatch(/502/);
});

it('reaches a 2025-era client (SDK v1) over stdio too', async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first (npm test and npm run test:reliability do).`);
  const { CANARY } = await import('./support/recorder.js');
  const client = new ClientV1({ name: 'meta-v1', version: '1' });
  await client.connect(new StdioV1({ command: process.execPath, args: [BIN], env: { PATH: process.env['PATH'] ?? '', VPSORG_API_URL: w.emu.url, VPSORG_API_TOKEN: CANARY }, stderr: 'ignore' }));
  try {
    await client.listTools();
    const r = (await client.callTool({ name: 'update_ttl', arguments: { zone: 'example.com', name: 'nothing-here', record_type: 'A', ttl: 600 } })) as { isError?: boolean; _meta?: Record<string, unknown> };
    expect(r.isError).toBe(true);
    expect(r._meta?.[ERROR_META_KEY]).toMatchObject({ code: 'not_found', field: 'name' });
  } finally {
    await client.close();
  }
});
