/** runTool checks the tool's scope itself, so no way in (tasks/get polls included) skips it. */
import { describe, expect, it } from 'vitest';
import { runTool } from '../../src/tools/kit/run.js';
import { listZones } from '../../src/tools/defs/zones.js';
import type { ToolContext } from '../../src/tools/kit/types.js';

describe('runTool and OAuth scopes', () => {
  it('a caller whose token has no dns.read cannot run a read tool, and nothing is requested', async () => {
    let asked = 0;
    const api = new Proxy({}, { get: () => () => (asked++, Promise.reject(new Error('no request expected'))) });
    const ctx = { api, signal: AbortSignal.timeout(5000), caller: { actor: { channel: 'oauth', sub: 'x' }, scopes: new Set() } } as unknown as ToolContext;
    const r = await runTool(listZones, {}, ctx);
    expect(r.isError).toBe(true);
    expect(r.isError && r.error.code).toBe('insufficient_scope');
    expect(asked).toBe(0);
  });
});
