/**
 * check_delegation on a zone just made by create_zone (issue 12, point 7): the API lists no NS
 * records for it, yet the provider's nameservers serve theirs at the apex, so the verdict follows
 * what they serve. Against the sandbox's real nameservers and root; every non-ok verdict ends
 * with what to do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';

let sb: Sandbox;
let h: Harness;

beforeAll(async () => {
  sb = await startSandbox({ publishDelayMs: [0, 0] });
  h = await startHarness({ emu: sb.emu, env: { ...sb.env } });
}, 30_000);
afterAll(async () => {
  await h?.close();
  await sb?.close();
});

describe('check_delegation', () => {
  it('a zone just created (no NS records in the API) is OK when the provider serves its nameservers', async () => {
    const made = await h.call('create_zone', { domain: 'fresh.example' });
    expect(made.isError, made.text).toBeFalsy();
    const records = await h.call('list_records', { zone: 'fresh.example', record_type: 'NS' });
    expect(records.structured?.['records']).toEqual([]);
    const r = await h.call('check_delegation', { zone: 'fresh.example' });
    expect(r.isError, r.text).toBeFalsy();
    expect(r.structured?.['problems']).toEqual([]);
    expect(r.structured?.['ok']).toBe(true);
    expect(r.structured?.['served_ns']).toEqual(['ns1.vps.org', 'ns2.vps.org']);
    expect(r.text).toMatch(/delegation OK/);
  });

  it('a verdict that is not OK ends with what to do', async () => {
    // An apex NS the provider's own servers do not match (made in the emulator directly: the gate would ask first).
    sb.emu.store.addZone('odd.example', [{ record_type: 'NS', name: '@', value: 'ns.elsewhere.example' }]);
    const r = await h.call('check_delegation', { zone: 'odd.example' });
    expect(r.structured?.['ok']).toBe(false);
    const next = r.structured?.['next_step'] as string;
    expect(next.length).toBeGreaterThan(10);
    expect(r.text.trimEnd().split('\n').at(-1)).toBe(`What to do: ${next}`);
  });
});
