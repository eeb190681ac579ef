/**
 * Red team of the human channels (issue 16): a person approves exactly what is shown. The model
 * writes the new values of a plan (update_record, apply_zone's zone file), so a new value or a new
 * name cut after 200 characters ("... (56 more characters)") would let it hide the part that
 * matters (`include:evil.example` after padding); and a plan longer than the page's list would
 * apply changes no one saw. Every channel renders the one approval view: the page, the form and
 * the plan view's _meta are checked here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffRecords, updateChange, type Change, type CurrentRecord } from '../../src/domain/diff.js';
import { normaliseRecord, type RecordSpec } from '../../src/domain/model.js';
import { approvalView, type ApprovalView } from '../../src/safety/approval-view.js';
import { runGated, type GateState } from '../../src/safety/gate.js';
import { argsDigest, confirmKey, digest, signToken } from '../../src/safety/confirm.js';
import { ApprovalStore } from '../../src/safety/approval-desk.js';
import { loadConfig } from '../../src/config.js';
import type { UserError } from '../../src/errors.js';
import type { ToolContext } from '../../src/tools/kit/types.js';
import { approvalPage } from '../../src/http/approval-html.js';
import { elicitMessage } from '../../src/safety/gate-text.js';
import { startEmulator, DEFAULT_TEST_TOKEN, type Emulator } from '../../src/emulator/index.js';
import { runCall } from '../../src/cli/call.js';
import { EXIT } from '../../src/cli/report.js';
import { startHarness, type CallResult } from '../helpers/harness.js';

const Z = 'example.com';
const spec = (name: string, record_type: string, value: string): RecordSpec => normaliseRecord({ name, record_type, value, ttl: 3600, priority: null }, Z);
const cur = (s: RecordSpec, uuid: string): CurrentRecord => ({ ...s, uuid });
const viewOf = (changes: Change[], current: CurrentRecord[]): ApprovalView => approvalView({ op: 'apply_zone', zone: Z, action: 'Apply the plan', changes, current });

/** A new SPF value whose harmful part comes after 200 characters of padding. */
const HIDDEN = `v=spf1 include:_spf.google.com ${'a'.repeat(200)} include:evil.example ~all`;

describe('what the person approves is shown whole', () => {
  it('a new value longer than the shortening limit appears whole on the page, in the form and in the view', () => {
    const before = cur(spec('@', 'TXT', 'v=spf1 -all'), 'u1');
    const v = viewOf([updateChange(before, { ...before, value: HIDDEN }) as Change], [before]);
    expect(v.changes[0]?.after?.value).toBe(HIDDEN);
    expect(approvalPage(v, 'csrf', Date.now() + 60_000)).toContain('include:evil.example ~all');
    expect(elicitMessage(v, undefined)).toContain('include:evil.example ~all');
  });

  it('a created record with a long new name shows the whole name', () => {
    const name = `${'x'.repeat(60)}.${'y'.repeat(60)}.${'z'.repeat(40)}.attacker`;
    const v = viewOf([{ action: 'create', after: spec(name, 'A', '192.0.2.7') }], []);
    expect(v.changes[0]?.fqdn).toBe(`${name}.${Z}`);
    expect(approvalPage(v, 'csrf', Date.now() + 60_000)).toContain(`${'z'.repeat(40)}.attacker.${Z}`);
  });

  it('the page lists every change of a long plan, the last one included', () => {
    const current = Array.from({ length: 600 }, (_, i) => cur(spec(`h${i}`, 'A', `192.0.2.${(i % 250) + 1}`), `u${i}`));
    const wanted = current.map((r, i) => (i === 599 ? { ...spec(r.name, 'A', '203.0.113.66') } : { ...spec(r.name, 'TXT', `moved ${i}`) }));
    const changes = diffRecords(current, wanted, 'sync');
    expect(changes.length).toBeGreaterThan(500);
    const v = viewOf(changes, current);
    expect(v.changes).toHaveLength(v.total);
    expect(approvalPage(v, 'csrf', Date.now() + 60_000)).toContain('203.0.113.66');
  });
});

describe('through the server (an MCP Apps client)', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 'demo' });
  });
  afterAll(async () => {
    await emu?.close();
  });

  it("the plan view's approval view carries the whole new value of a held update", async () => {
    const h = await startHarness({ emu, apps: true });
    try {
      await h.call('create_record', { zone: Z, name: 'spf', record_type: 'TXT', value: 'v=spf1 -all' });
      const r: CallResult = await h.call('update_record', { zone: Z, name: 'spf', record_type: 'TXT', value: HIDDEN });
      expect(r.structured?.['confirmation']).toBe('awaiting_approval');
      const meta = (r.raw as { _meta?: Record<string, { view: ApprovalView }> })._meta?.['vpsorg-dns-mcp/approval'];
      expect(meta?.view.changes[0]?.after?.value).toBe(HIDDEN);
    } finally {
      await h.close();
    }
  });
});

describe('VPSORG_HUMAN_FOR fails closed on a typo everywhere', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 'demo' });
  });
  afterAll(async () => {
    await emu?.close();
  });

  it('the CLI refuses an unknown entry (usage, exit 2) instead of offering a confirm_token', async () => {
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      out.push(String(chunk));
      (rest.find((f) => typeof f === 'function') as (() => void) | undefined)?.();
      return true;
    }) as typeof process.stdout.write;
    let exit: number;
    try {
      exit = await runCall(['delete_zone', '--zone', 'example.com'], { VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN, VPSORG_HUMAN_FOR: 'delete_zon' }, { progress: { update() {}, done() {} } });
    } finally {
      process.stdout.write = write;
    }
    expect(exit).toBe(EXIT.usage);
    expect(out.join('')).not.toContain('confirm_token');
    expect(emu.store.findZone('example.com')).toBeTruthy();
  });
});

describe('a confirmation presented twice at once runs the change once', () => {
  it('two approve calls with one approval, concurrently: one executes, the other is refused (in_progress)', async () => {
    const key = confirmKey('redteam-secret-1234567890');
    const live = { value: 'v1' };
    let executed = 0;
    const ctx = { config: loadConfig({ VPSORG_CONFIRM_SECRET: 'redteam-secret-1234567890' }), offers: { app: true, url: false, form: false } } as ToolContext;
    const approval = signToken(key, 'app', 'delete_thing', argsDigest({ id: 1 }), digest(live), Date.now()).token;
    const run = () =>
      runGated({ ...ctx, appApproval: approval }, {
        op: 'delete_thing',
        args: { id: 1 },
        readState: async (): Promise<GateState<{ what: string }>> => ({
          digestInput: live,
          preview: { structured: { what: 'preview' }, text: 'would delete' },
          view: approvalView({ op: 'delete_thing', zone: Z, action: 'Delete', changes: [], current: [] }),
        }),
        // The write takes a while (a real API call); the state is read by both calls before it lands.
        execute: async () => {
          executed++;
          await new Promise((r) => setTimeout(r, 50));
          return { structured: { what: 'done' }, text: 'deleted' };
        },
      });
    const results = await Promise.allSettled([run(), run()]);
    expect(executed).toBe(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
    expect((refused?.reason as UserError | undefined)?.details).toMatchObject({ reason: 'in_progress' });
  });

  it('an approval page decision is handed to one waiting call only', async () => {
    const store = new ApprovalStore();
    const path = await store.add({ key: 'k1', view: approvalView({ op: 'delete_thing', zone: Z, action: 'Delete', changes: [], current: [] }), expiresAt: Date.now() + 60_000 });
    const waits = [store.wait('k1', undefined), store.wait('k1', undefined)];
    const entry = await store.page(path);
    await store.decide(entry as NonNullable<typeof entry>, 'approved');
    expect((await Promise.all(waits)).sort()).toEqual(['approved', 'unknown']);
  });
});
