/**
 * audit_zone with live: true through a real MCP client and the CLI, on the fixture internet:
 * the findings carry their fix calls, and each fix call is a call the server accepts as it is
 * (a dry run the gate judges like any change).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { cli } from '../helpers/cli.js';
import { AUDITED, fixtureEnv, startFixtureInternet } from '../helpers/fixture-internet.js';

type Example = { name: string; fix_call?: { tool?: string; arguments?: Record<string, unknown>; instruction?: string }; confidence?: string };
type Group = { code: string; severity: string; count: number; examples: Example[] };

let sb: Sandbox;
let h: Harness;
beforeAll(async () => {
  sb = await startFixtureInternet();
  h = await startHarness({ emu: sb.emu, env: { ...fixtureEnv(sb) } });
});
afterAll(async () => {
  await h?.close();
  await sb?.close();
});

const groupsOf = (s: Record<string, unknown> | undefined) => (s?.['findings'] ?? []) as Group[];

describe('audit_zone live: true', () => {
  it('looks outside the zone only when asked', async () => {
    const plain = await h.call('audit_zone', { zone: AUDITED });
    expect(groupsOf(plain.structured).map((g) => g.code)).not.toContain('takeover_risk');
    expect(plain.structured?.['live']).toBeUndefined();
    const live = await h.call('audit_zone', { zone: AUDITED, live: true });
    expect(live.isError, live.text).toBeFalsy();
    const codes = groupsOf(live.structured).map((g) => g.code);
    expect(codes).toEqual(expect.arrayContaining(['takeover_risk', 'target_domain_unregistered', 'dangling_target', 'ds_unsigned_zone', 'lame_delegation', 'glue_mismatch']));
    expect(live.text).toMatch(/^Live: \d+ lookups/m);
    expect(live.text).toMatch(/next: delete_record \{"zone":"audited.com","name":"old"/);
  });

  it('hands back fix calls the server accepts as they are (the takeover delete previews it); what a nameserver served is never offered as a write', async () => {
    const live = await h.call('audit_zone', { zone: AUDITED, live: true });
    const fixOf = (code: string) => groupsOf(live.structured).find((g) => g.code === code)?.examples[0]?.fix_call;
    const takeover = fixOf('takeover_risk');
    const del = await h.call(takeover?.tool as string, takeover?.arguments);
    expect(del.isError, del.text).toBeFalsy();
    expect(del.text).toContain('gone-app.azurewebsites.net');
    // The child's server says 127.0.0.2: a hostile one could say anything, so a person confirms it.
    const glue = fixOf('glue_mismatch');
    expect(glue?.tool).toBeUndefined();
    expect(glue?.instruction).toContain('127.0.0.2');
    expect(sb.emu.store.findZone(AUDITED)?.records?.find((r) => r.name === 'ns.sub')?.value).toBe('127.0.0.1');
  });
});

describe('vpsorg-dns-mcp call audit_zone --live', () => {
  it('prints the live findings with their fix calls', async () => {
    const env = { ...fixtureEnv(sb), VPSORG_JOURNAL_DIR: mkdtempSync(join(tmpdir(), 'audit-live-cli-')) };
    const run = await cli(['call', 'audit_zone', '--zone', AUDITED, '--live'], env);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    const ds = groupsOf(out).find((g) => g.code === 'ds_unsigned_zone');
    expect(ds?.examples[0]?.fix_call?.instruction).toMatch(/at the registrar/);
  });
});
