/**
 * Review finding (gatefix 1): create_zone skipped the gate, so VPSORG_HUMAN_FOR=create_zone (or
 * all, or human mode) was accepted at start and had no effect; and an operation named in those
 * settings held a call only when its changes were held anyway. Every operation the settings accept
 * is checked here over the tool catalog: named, a call that would otherwise apply alone is held.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TEST_TOKEN, type Emulator } from '../../src/emulator/index.js';
import { createApiClient } from '../../src/api/client.js';
import { loadConfig } from '../../src/config.js';
import { ALL_TOOLS } from '../../src/tools/index.js';
import { runTool } from '../../src/tools/kit/run.js';
import { ZoneResolver } from '../../src/tools/kit/resolve.js';
import { NO_OFFERS } from '../../src/safety/channel.js';
import { gatedOperations } from '../../src/safety/op-hold.js';
import type { ToolContext } from '../../src/tools/kit/types.js';
import { startHarness, type HarnessOptions } from '../helpers/harness.js';
import { cli } from '../helpers/cli.js';
import { seededEmulator, writes } from '../e2e/safety-helpers.js';

const VICTIM = 'victim-sub.example.org';
let emu: Emulator;
seededEmulator((e) => (emu = e));

type Answer = Awaited<ReturnType<NonNullable<HarnessOptions['elicit']>>>;

/** One create_zone call from a client whose person answers the form with `answer` (no form: `answer` undefined). */
async function createZone(env: Record<string, string>, answer?: Answer) {
  const asked: string[] = [];
  const h = await startHarness({ emu, env, ...(answer ? { elicit: async (p) => (asked.push(p.message), answer) } : {}) });
  try {
    return { ...(await h.call('create_zone', { domain: VICTIM })), asked };
  } finally {
    await h.close();
  }
}

describe('create_zone goes through the gate', () => {
  it('the reviewer\'s repro: human mode with create_zone,all named, and no human channel: refused, nothing created', async () => {
    const r = await createZone({ VPSORG_CONFIRM_MODE: 'human', VPSORG_HUMAN_FOR: 'create_zone,all' });
    expect(r.isError).toBe(true);
    expect(r.text).toContain("create_zone needs a person's approval");
    expect(writes(emu)).toHaveLength(0);
    expect(emu.store.findZone(VICTIM)).toBeFalsy();
  });

  it('the same through the CLI (`call create_zone`): not applied, exit code says a person must approve', async () => {
    const env = { VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN, VPSORG_JOURNAL: 'off', VPSORG_CONFIRM_MODE: 'human', VPSORG_HUMAN_FOR: 'create_zone,all' };
    const run = await cli(['call', 'create_zone', '--domain', VICTIM], env);
    expect(run.code, run.stderr).not.toBe(0);
    expect(`${run.stdout}${run.stderr}`).toContain("needs a person's approval");
    expect(emu.store.findZone(VICTIM)).toBeFalsy();
  });

  it.each([
    ['VPSORG_HUMAN_FOR=create_zone', { VPSORG_HUMAN_FOR: 'create_zone' }, "VPSORG_HUMAN_FOR names create_zone: every create_zone needs a person's approval"],
    ['VPSORG_HUMAN_FOR=all', { VPSORG_HUMAN_FOR: 'all' }, 'creates a zone (VPSORG_HUMAN_FOR=all: every write)'],
    ['VPSORG_HUMAN_FOR=apex', { VPSORG_HUMAN_FOR: 'apex' }, `creates the zone ${VICTIM}: the provider's nameservers answer for the domain itself at once`],
    ['VPSORG_CONFIRM_MODE=human', { VPSORG_CONFIRM_MODE: 'human' }, `creates the zone ${VICTIM}`],
  ])('%s: the person is asked what is created and why; declined, nothing is; accepted, it is', async (_l, env, why) => {
    const no = await createZone(env, { action: 'decline' });
    expect(no.isError, no.text).toBeFalsy();
    expect(no.structured).toMatchObject({ confirmation: 'declined', applied: false });
    expect(emu.store.findZone(VICTIM)).toBeFalsy();
    expect(no.asked).toHaveLength(1);
    const form = no.asked[0] as string;
    expect(form).toContain(`Create the zone ${VICTIM}, empty: ns1.vps.org., ns2.vps.org. answer for it at once`);
    expect(form).toContain(`Why this needs you: ${why}`);
    // Nothing is removed, so the form promises no snapshot.
    expect(form).not.toContain('snapshot');
    const yes = await createZone(env, { action: 'accept', content: { confirm: true } });
    expect(yes.isError, yes.text).toBeFalsy();
    expect(yes.structured).toMatchObject({ confirmation: 'confirmed_by_user', applied: true, zone: { domain: VICTIM } });
    expect(emu.store.findZone(VICTIM)).toBeTruthy();
  });

  it('in the default mode a plain create_zone stays one call (docs/safety.md: additions apply alone), even for a client with a form', async () => {
    const r = await createZone({}, { action: 'accept', content: { confirm: true } });
    expect(r.isError, r.text).toBeFalsy();
    expect(r.structured).toMatchObject({ applied: true, risk: { needs_confirmation: false, codes: [] } });
    expect(r.asked).toHaveLength(0);
    expect(writes(emu).map((w) => w.method)).toEqual(['POST']);
  });

  it('an MCP Apps client: the plan view shows what is created and why, and its Approve creates it once', async () => {
    const h = await startHarness({ emu, env: { VPSORG_CONFIRM_MODE: 'human' }, apps: true });
    try {
      const r = await h.call('create_zone', { domain: VICTIM });
      expect(r.structured, r.text).toMatchObject({ confirmation: 'awaiting_approval', applied: false });
      type Meta = { tool: string; approval: string; view: { action: string; total: number; risk: { codes: string[] } } };
      const meta = ((r.raw as { _meta?: Record<string, Meta> })._meta ?? {})['vpsorg-dns-mcp/approval'] as Meta;
      expect(meta.tool).toBe('create_zone');
      expect(meta.view.action).toContain(`Create the zone ${VICTIM}, empty`);
      expect(meta.view.risk.codes).toEqual(['apex']);
      expect(emu.store.findZone(VICTIM)).toBeFalsy();
      const ok = await h.call('approve_plan', { tool: 'create_zone', arguments: JSON.stringify({ domain: VICTIM }), approval: meta.approval });
      expect(ok.isError, ok.text).toBeFalsy();
      expect(ok.structured).toMatchObject({ tool: 'create_zone', confirmation: 'confirmed_by_user' });
      expect(emu.store.findZone(VICTIM)).toBeTruthy();
      const again = await h.call('approve_plan', { tool: 'create_zone', arguments: JSON.stringify({ domain: VICTIM }), approval: meta.approval });
      expect(again.isError).toBe(true);
    } finally {
      await h.close();
    }
  });

  it('a zone created meanwhile is refused at the confirming read, not created twice', async () => {
    const r = await createZone({ VPSORG_HUMAN_FOR: 'create_zone' }, { action: 'accept', content: { confirm: true } });
    expect(r.isError, r.text).toBeFalsy();
    const again = await createZone({ VPSORG_HUMAN_FOR: 'create_zone' }, { action: 'accept', content: { confirm: true } });
    expect(again.isError).toBe(true);
    expect(again.text).toContain(`The zone ${VICTIM} exists already`);
    expect(again.asked).toHaveLength(0);
  });
});

/**
 * A call of each operation that, unnamed, applies alone in the default mode (deletes aside: they
 * are always held). `undo` is the change_id of an update_ttl made first.
 */
const CALLS = (undo: string): Record<string, Record<string, unknown>> => ({
  create_zone: { domain: 'fresh.example' },
  create_record: { zone: 'example.com', name: 'new', record_type: 'TXT', value: 'hello' },
  update_record: { zone: 'example.com', name: 'www', record_type: 'A', value: '192.0.2.11' },
  patch_record: { zone: 'example.com', name: 'api', record_type: 'A', ttl: 900 },
  update_ttl: { zone: 'example.com', name: 'api', record_type: 'A', ttl: 1200 },
  delete_record: { zone: 'example.com', name: 'www', record_type: 'A' },
  delete_zone: { zone: 'other.org' },
  apply_zone: { zone: 'example.com', mode: 'upsert', records: [{ name: 'more', record_type: 'TXT', value: 'hi' }] },
  undo_change: { change_id: undo },
  acme_challenge: { action: 'present', domain: 'example.com', value: 'Xq0DWlyplN-8tuMbJlnJUvRVpqIRAdqb9KvRi4mHzu0', wait_seconds: 0 },
});

describe('every operation VPSORG_HUMAN_FOR accepts is held when named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gated-ops-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the catalog\'s write tools, each named: held for a person (no human channel here: refused), nothing written', async () => {
    const ops = gatedOperations(ALL_TOOLS);
    // A new write tool must be added here: the settings accept its name.
    expect(Object.keys(CALLS('')).sort()).toEqual([...ops].sort());
    // Shared journal (and its key): the undo's receipt is read by the second server.
    const plain = await startHarness({ emu, env: { VPSORG_JOURNAL_DIR: dir } });
    let undo = '';
    try {
      const made = await plain.call('update_ttl', { zone: 'example.com', name: 'www', record_type: 'A', ttl: 600 });
      undo = (made.structured?.['undo'] as { change_id: string }).change_id;
      // Unnamed, each call but the deletes applies alone (its dry run needs no confirmation).
      for (const [op, args] of Object.entries(CALLS(undo))) {
        if (op === 'acme_challenge' || op.startsWith('delete_')) continue;
        const dry = await plain.call(op, { ...args, dry_run: true });
        expect(dry.isError, `${op}: ${dry.text}`).toBeFalsy();
        expect(dry.structured?.['confirmation'], op).toBeUndefined();
      }
    } finally {
      await plain.close();
    }
    emu.requests.length = 0;
    const named = await startHarness({ emu, env: { VPSORG_JOURNAL_DIR: dir, VPSORG_HUMAN_FOR: ops.join(',') } });
    try {
      for (const [op, args] of Object.entries(CALLS(undo))) {
        const r = await named.call(op, args);
        expect(r.isError, `${op}: ${r.text}`).toBe(true);
        expect(r.text, op).toContain(`${op} needs a person's approval`);
      }
    } finally {
      await named.close();
    }
    expect(writes(emu)).toHaveLength(0);
  });

  it('approve_plan is not an operation the settings accept: it confirms another tool\'s call, which is named instead', async () => {
    expect(gatedOperations(ALL_TOOLS)).not.toContain('approve_plan');
    await expect(startHarness({ emu, env: { VPSORG_HUMAN_FOR: 'approve_plan' } })).rejects.toThrow(/VPSORG_HUMAN_FOR: unknown "approve_plan"/);
  });
});

describe('a read-only server writes nothing, held or not', () => {
  it('a write tool run on a read-only configuration (a path other than tools/list, such as a CLI) is refused before any write', async () => {
    const config = loadConfig({ VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN, VPSORG_READ_ONLY: 'true', VPSORG_JOURNAL: 'off' });
    const api = createApiClient({ baseUrl: emu.url, token: DEFAULT_TEST_TOKEN, retryBaseMs: 1, maxRetries: 0 });
    const ctx: ToolContext = { config, api, zones: new ZoneResolver(api, config.allowedZones), signal: new AbortController().signal, progress: async () => undefined, inputResponses: undefined, requestState: undefined, offers: NO_OFFERS };
    for (const [name, args] of [['create_record', CALLS('')['create_record']], ['create_zone', CALLS('')['create_zone']]] as const) {
      const def = ALL_TOOLS.find((t) => t.name === name)!;
      const r = await runTool(def, args, ctx);
      expect(r.isError, name).toBe(true);
      expect('text' in r && r.text, name).toContain('this server is read-only (VPSORG_READ_ONLY)');
    }
    expect(writes(emu)).toHaveLength(0);
  });
});
