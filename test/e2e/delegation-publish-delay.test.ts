/**
 * Issue 22 point 5: check_delegation during the provider's publish delay. The provider's second
 * nameserver has not loaded a zone just created; the verdict says so and when to look again,
 * instead of telling the person to remove the provider's own nameserver at the registrar.
 * Against the sandbox, whose ns2 publishes late.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';

let sb: Sandbox;
let h: Harness;

beforeAll(async () => {
  // ns2 loads changes ten minutes late: long enough to stay behind for the whole test.
  sb = await startSandbox({ publishDelayMs: [0, 600_000] });
  h = await startHarness({ emu: sb.emu, env: { ...sb.env } });
}, 30_000);
afterAll(async () => {
  await h?.close();
  await sb?.close();
});

describe('check_delegation while the provider has not loaded a new zone everywhere', () => {
  it("names the provider's server that has not loaded the zone and when to look again, and never says to remove it", async () => {
    const made = await h.call('create_zone', { domain: 'late.example' });
    expect(made.isError, made.text).toBeFalsy();
    const r = await h.call('check_delegation', { zone: 'late.example' });
    expect(r.isError, r.text).toBeFalsy();
    expect(r.structured?.['ok']).toBe(false);
    expect(r.structured?.['lame']).toEqual([]);
    expect(r.structured?.['not_loaded']).toEqual(['ns2.vps.org']);
    const next = r.structured?.['next_step'] as string;
    expect(next).toMatch(/^The provider's nameserver ns2\.vps\.org has not loaded late\.example yet/);
    expect(next).toMatch(/check_delegation again in a few minutes/);
    expect(next).toMatch(/wait_seconds/);
    expect(r.text).not.toMatch(/Remove ns2\.vps\.org/);
    expect(r.text).toMatch(/ns2\.vps\.org 127\.0\.0\.1:\d+ {2}NOT LOADED YET/);
    expect((r.structured?.['problems'] as string[]).join('\n')).toMatch(/ns2\.vps\.org .*, the provider's nameserver, has not loaded late\.example yet: /);
  });

  it("a server that is not the provider's and does not serve the zone is still one to remove at the registrar", async () => {
    sb.emu.store.addZone('mixed.example', [
      { record_type: 'NS', name: '@', value: 'ns1.vps.org' },
      { record_type: 'NS', name: '@', value: 'ns2.vps.org' },
      { record_type: 'NS', name: '@', value: 'a.root-servers.net' },
    ]);
    const r = await h.call('check_delegation', { zone: 'mixed.example' });
    expect(r.structured?.['lame']).toEqual(['a.root-servers.net']);
    expect(r.structured?.['not_loaded']).toEqual(['ns2.vps.org']);
    expect(r.text).not.toMatch(/Remove [^\n]*ns2\.vps\.org/);
  });
});
