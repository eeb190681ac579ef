// Issue 13 point 7: a model (or a file it was handed) cannot make one error answer enormous.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

describe('import_zone_file errors are bounded', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('lists the first 50 problems and counts the rest', async () => {
    const r = await h.call('import_zone_file', { zone: 'example.com', zone_file: ')'.repeat(100_000) });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('and 99950 more (100000 problems in all');
    expect(r.text.length).toBeLessThan(20_000);
    const error = ((r.raw as { _meta?: Record<string, { details?: { problems?: unknown[]; problem_count?: number } }> })._meta ?? {})['vpsorg-dns-mcp/error'];
    expect(error?.details?.problems).toHaveLength(50);
    expect(error?.details?.problem_count).toBe(100_000);
    expect(JSON.stringify(r.raw).length).toBeLessThan(40_000);
  });

  it('cuts each problem message, so one long line cannot fill the answer', async () => {
    const r = await h.call('import_zone_file', { zone: 'example.com', zone_file: `www 3600 IN A ${'9'.repeat(500_000)}\n` });
    expect(r.isError).toBe(true);
    expect(JSON.stringify(r.raw).length).toBeLessThan(10_000);
  });
});
