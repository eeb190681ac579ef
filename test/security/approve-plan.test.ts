// Issue 21 point 4: approve_plan (the plan view's Approve) is no way around the server's policy. It runs
// only tools this server exposes, checks the approval before anything runs, refuses a call the gate
// would not hold, and is listed (and answered) only for clients that declared MCP Apps.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { resetBudgets } from '../../src/safety/budget.js';
import { argsDigest, confirmKey, signToken } from '../../src/safety/confirm.js';
import { ALL_TOOLS } from '../../src/tools/index.js';
import { startHarness, type CallResult, type Harness } from '../helpers/harness.js';
import { writes } from '../e2e/safety-helpers.js';

const SECRET = 'approve-plan-redteam-secret-0123';
const ZONE = [
  { record_type: 'A', name: '@', value: '192.0.2.1' },
  { record_type: 'A', name: 'www', value: '192.0.2.10' },
  { record_type: 'MX', name: '@', value: 'mail.example.com', priority: 10 },
  { record_type: 'MX', name: '@', value: 'backup.example.com', priority: 20 },
  { record_type: 'TXT', name: '@', value: 'v=spf1 -all' },
];

let emu: Emulator;
let acmeOnly: Harness;
let apps: Harness;
let plain: Harness;

beforeAll(async () => {
  emu = await startEmulator({ seed: 'empty' });
  const env = { VPSORG_CONFIRM_SECRET: SECRET };
  acmeOnly = await startHarness({ emu, env: { ...env, VPSORG_TOOLSETS: 'acme' }, apps: true });
  apps = await startHarness({ emu, env, apps: true });
  plain = await startHarness({ emu, env });
});
afterAll(async () => {
  for (const x of [acmeOnly, apps, plain]) await x?.close();
  await emu?.close();
});
beforeEach(() => {
  emu.store.reset();
  emu.store.addZone('example.com', ZONE);
  emu.requests.length = 0;
  resetBudgets();
});

const reason = (r: CallResult) => (r.raw as { _meta?: Record<string, { code?: string; details?: { reason?: string } }> })._meta?.['vpsorg-dns-mcp/error'];
/** An approval signed with the server's own key for exactly this call: what only a held preview hands out. */
function validApproval(tool: string, args: Record<string, unknown>): string {
  const def = ALL_TOOLS.find((t) => t.name === tool);
  const parsed = def?.input.parse(args) as Record<string, unknown>;
  return signToken(confirmKey(SECRET), 'app', tool, argsDigest(parsed), 'any-state', Date.now()).token;
}
const approve = (h: Harness, tool: string, args: Record<string, unknown>, approval: string) => h.call('approve_plan', { tool, arguments: JSON.stringify(args), approval });

const HIJACKS: Array<[string, Record<string, unknown>]> = [
  ['create_record', { zone: 'example.com', name: '@', record_type: 'MX', value: 'mx.attacker.example', priority: 0 }],
  ['patch_record', { zone: 'example.com', name: '@', record_type: 'A', value: '203.0.113.66' }],
  ['create_record', { zone: 'example.com', name: '*', record_type: 'CNAME', value: 'attacker.example' }],
];

describe('approve_plan under VPSORG_TOOLSETS=acme', () => {
  it('runs no record tool, with a garbage approval or with a validly signed one', async () => {
    expect(await acmeOnly.toolNames()).toEqual(expect.arrayContaining(['acme_challenge', 'approve_plan']));
    for (const [tool, args] of HIJACKS) {
      for (const approval of ['garbage', validApproval(tool, args)]) {
        const r = await approve(acmeOnly, tool, args, approval);
        expect(r.isError, `${tool} ${r.text}`).toBe(true);
        expect(reason(r)?.code).toBe('policy');
        expect(r.text).toContain(`${tool} is not offered by this server`);
      }
    }
    expect(writes(emu)).toEqual([]);
  });
});

describe('approve_plan with every tool exposed', () => {
  it('checks the approval before the tool runs: a garbage approval writes nothing, even for a change that needs no confirmation', async () => {
    for (const [tool, args] of HIJACKS) {
      const r = await approve(apps, tool, args, 'garbage.approval');
      expect(r.isError, r.text).toBe(true);
      expect(reason(r)?.details?.reason).toBe('forged');
    }
    expect(writes(emu)).toEqual([]);
  });

  it('refuses a valid approval for a call the gate would not hold: an approval never runs an unheld write', async () => {
    for (const [tool, args] of HIJACKS) {
      const r = await approve(apps, tool, args, validApproval(tool, args));
      expect(r.isError, r.text).toBe(true);
      expect(reason(r)?.details?.reason, r.text).toBe('not_held');
    }
    expect(writes(emu)).toEqual([]);
  });
});

describe('approve_plan for a client that did not declare MCP Apps', () => {
  it('is not listed, and a call by name is refused before anything runs', async () => {
    expect(await plain.toolNames()).not.toContain('approve_plan');
    expect(await apps.toolNames()).toContain('approve_plan');
    const [tool, args] = HIJACKS[0] as [string, Record<string, unknown>];
    const r = await approve(plain, tool, args, validApproval(tool, args));
    expect(r.isError).toBe(true);
    expect(reason(r)?.code).toBe('app_only');
    expect(writes(emu)).toEqual([]);
  });
});
