/**
 * The MCP App channel end to end, without a browser (app-views.test.ts has the browser): an MCP
 * Apps client gets a preview that awaits the person's approval with nothing the model could relay,
 * and approve_plan (what the view's Approve calls) runs the change once, only with that approval,
 * for that call and that state. Other signed values, forged or stale ones, are refused.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resetBudgets } from '../../src/safety/budget.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { APPS_CAPABILITY, startHarness, type CallResult, type Harness } from '../helpers/harness.js';

let emu: Emulator;
let apps: Harness;
let plain: Harness;
const SECRET = { VPSORG_CONFIRM_SECRET: 'app-approve-test-secret-123456' };

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo' });
  apps = await startHarness({ emu, env: SECRET, apps: true });
  plain = await startHarness({ emu, env: SECRET });
});
// Each test's own records: the creates of earlier tests are not held against it (creates count against the zone's budget).
beforeEach(() => resetBudgets());
afterAll(async () => {
  await apps?.close();
  await plain?.close();
  await emu?.close();
});

const approvalOf = (r: CallResult) => ((r.raw as { _meta?: Record<string, { approval: string; tool: string; view: { risk: { zoneRecords: number; changedFraction: number } } }> })._meta ?? {})['vpsorg-dns-mcp/approval'];
const txt = (name: string) => ({ zone: 'example.com', name, record_type: 'TXT' });
const reason = (r: CallResult) => ((r.raw as { _meta?: Record<string, { details?: { reason?: string } }> })._meta?.['vpsorg-dns-mcp/error']?.details?.reason);
const exists = async (name: string) => ((await apps.call('list_records', { zone: 'example.com', name, record_type: 'TXT' })).structured?.['records'] as unknown[]).length > 0;

describe('approving a held change in the MCP App plan view', () => {
  it('the preview awaits the person: no confirm_token, the approval only in _meta; approve_plan deletes once', async () => {
    await apps.call('create_record', { ...txt('app1'), value: 'v=one' });
    const preview = await apps.call('delete_record', txt('app1'));
    expect(preview.structured?.['confirmation']).toBe('awaiting_approval');
    expect(preview.structured?.['confirm_token']).toBeUndefined();
    const a = approvalOf(preview)!;
    expect(a.tool).toBe('delete_record');
    // The risk shown to the person is judged against the whole zone, not the one record.
    const inZone = ((await apps.call('list_records', { zone: 'example.com' })).structured?.['page'] as { total: number }).total;
    expect(inZone).toBeGreaterThan(5);
    expect(a.view.risk.zoneRecords).toBe(inZone);
    expect(a.view.risk.changedFraction).toBeCloseTo(1 / inZone);
    expect(JSON.stringify(preview.structured)).not.toContain(a.approval);
    expect(preview.text).not.toContain(a.approval);
    expect(await exists('app1')).toBe(true);
    // The approval is not a confirm_token.
    const asToken = await apps.call('delete_record', { ...txt('app1'), confirm_token: a.approval });
    expect(asToken.isError).toBe(true);
    expect(reason(asToken)).toBe('wrong_purpose');
    const done = await apps.call('approve_plan', { tool: 'delete_record', arguments: JSON.stringify(txt('app1')), approval: a.approval });
    expect(done.isError, done.text).toBeFalsy();
    expect(done.structured?.['confirmation']).toBe('confirmed_by_user');
    expect(await exists('app1')).toBe(false);
    // The journal names the change by the tool the person approved.
    const changes = (await apps.call('list_changes', { zone: 'example.com' })).structured?.['changes'] as Array<{ tool: string }>;
    expect(changes[0]?.tool).toBe('delete_record (approved in the plan view)');
    // Once: the same approval again finds its target gone.
    const again = await apps.call('approve_plan', { tool: 'delete_record', arguments: JSON.stringify(txt('app1')), approval: a.approval });
    expect(again.isError).toBe(true);
    expect(reason(again)).toBe('target_gone');
  });

  it("refuses a forged or altered approval, another call's, another operation's, and a confirm_token", async () => {
    await apps.call('create_record', { ...txt('app2'), value: 'v=two' });
    await apps.call('create_record', { ...txt('app3'), value: 'v=three' });
    const a = approvalOf(await apps.call('delete_record', txt('app2')))!.approval;
    const [body, sig] = a.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    const altered = `${Buffer.from(JSON.stringify({ ...payload, exp: Number(payload['exp']) + 3_600_000 })).toString('base64url')}.${sig}`;
    const tokenFromPlainClient = (await plain.call('delete_record', txt('app2'))).structured?.['confirm_token'] as string;
    expect(tokenFromPlainClient).toMatch(/\./);
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['a forged signature', { tool: 'delete_record', arguments: JSON.stringify(txt('app2')), approval: `${body}.${'A'.repeat(43)}` }, 'forged'],
      ['an altered payload (a later expiry)', { tool: 'delete_record', arguments: JSON.stringify(txt('app2')), approval: altered }, 'forged'],
      ["another call's arguments", { tool: 'delete_record', arguments: JSON.stringify(txt('app3')), approval: a }, 'wrong_arguments'],
      ['another operation', { tool: 'delete_zone', arguments: JSON.stringify({ zone: 'example.com' }), approval: a }, 'wrong_operation'],
      ['a confirm_token', { tool: 'delete_record', arguments: JSON.stringify(txt('app2')), approval: tokenFromPlainClient }, 'wrong_purpose'],
    ];
    for (const [what, args, why] of cases) {
      const r = await apps.call('approve_plan', args);
      expect(r.isError, what).toBe(true);
      expect(reason(r), what).toBe(why);
    }
    expect(await exists('app2')).toBe(true);
    expect(await exists('app3')).toBe(true);
    expect((await apps.call('list_zones', {})).structured?.['zones']).toEqual(expect.arrayContaining([expect.objectContaining({ domain: 'example.com' })]));
  });

  it('refuses an approval once what it would change changed since the preview', async () => {
    await apps.call('create_record', { ...txt('app4'), value: 'v=four' });
    const a = approvalOf(await apps.call('delete_record', txt('app4')))!.approval;
    const edited = await plain.call('update_ttl', { ...txt('app4'), ttl: 900 });
    expect(edited.isError, edited.text).toBeFalsy();
    const r = await apps.call('approve_plan', { tool: 'delete_record', arguments: JSON.stringify(txt('app4')), approval: a });
    expect(r.isError).toBe(true);
    expect(reason(r)).toBe('state_changed');
    expect(await exists('app4')).toBe(true);
  });

  it('a client without Apps is unchanged: the token flow, and approve_plan is not a way around it', async () => {
    const preview = await plain.call('delete_record', txt('app4'));
    expect(preview.structured?.['confirmation']).toBe('required');
    expect(approvalOf(preview)).toBeUndefined();
    // approve_plan is not listed to it, and called by name it is refused before anything runs.
    expect(await plain.toolNames()).not.toContain('approve_plan');
    const r = await plain.call('approve_plan', { tool: 'delete_record', arguments: JSON.stringify(txt('app4')), approval: preview.structured?.['confirm_token'] });
    expect((r.raw as { _meta?: Record<string, { code?: string }> })._meta?.['vpsorg-dns-mcp/error']?.code).toBe('app_only');
    expect(await exists('app4')).toBe(true);
  });
});

describe('confirmation modes with an Apps client', () => {
  it('human: the App is the channel (no token); token: the confirm_token flow, with no approval to press', async () => {
    const human = await startHarness({ emu, env: { ...SECRET, VPSORG_CONFIRM_MODE: 'human' }, apps: true });
    const token = await startHarness({ emu, env: { ...SECRET, VPSORG_CONFIRM_MODE: 'token' }, apps: true });
    try {
      await human.call('create_record', { ...txt('modes'), value: 'v=modes' });
      const held = await human.call('delete_record', txt('modes'));
      expect(held.structured?.['confirmation']).toBe('awaiting_approval');
      expect(held.structured?.['confirm_token']).toBeUndefined();
      expect(approvalOf(held)?.approval).toMatch(/\./);
      const tokened = await token.call('delete_record', txt('modes'));
      expect(tokened.structured?.['confirmation']).toBe('required');
      expect(approvalOf(tokened)).toBeUndefined();
    } finally {
      await Promise.all([human.close(), token.close()]);
    }
  });
});

describe('approve_plan input', () => {
  it('takes the arguments as the JSON text of an object, and refuses a confirm_token or dry_run inside them', async () => {
    for (const [args, field] of [['not json', 'arguments'], ['[1]', 'arguments'], [JSON.stringify({ ...txt('x'), confirm_token: 'a.b' }), 'arguments.confirm_token'], [JSON.stringify({ ...txt('x'), dry_run: true }), 'arguments.dry_run']] as const) {
      const r = await apps.call('approve_plan', { tool: 'delete_record', arguments: args, approval: 'a.b' });
      expect(r.isError, args).toBe(true);
      expect((r.raw as { _meta?: Record<string, { field?: string }> })._meta?.['vpsorg-dns-mcp/error']?.field, args).toBe(field);
    }
  });
});

describe('a 2025-era MCP Apps client (SDK v1, initialize handshake) against the built server', () => {
  it('declares the Apps extension at initialize: the held delete awaits approval, and approve_plan applies it', async () => {
    const { Client: ClientV1 } = await import('@modelcontextprotocol/sdk/client/index.js');
    const { StdioClientTransport: StdioV1 } = await import('@modelcontextprotocol/sdk/client/stdio.js');
    const client = new ClientV1({ name: 'apps-v1', version: '1' }, { capabilities: APPS_CAPABILITY as never });
    await client.connect(new StdioV1({ command: process.execPath, args: ['dist/index.js', '--sandbox'], env: { PATH: process.env['PATH'] ?? '' }, stderr: 'ignore' }));
    try {
      type R = { isError?: boolean; structuredContent?: Record<string, unknown>; _meta?: Record<string, { approval?: string }> };
      const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as R;
      expect((await call('create_record', { ...txt('v1app'), value: 'v=v1' })).isError).toBeFalsy();
      const preview = await call('delete_record', txt('v1app'));
      expect(preview.structuredContent?.['confirmation']).toBe('awaiting_approval');
      expect(preview.structuredContent?.['confirm_token']).toBeUndefined();
      const approval = preview._meta?.['vpsorg-dns-mcp/approval']?.approval;
      const done = await call('approve_plan', { tool: 'delete_record', arguments: JSON.stringify(txt('v1app')), approval });
      expect(done.isError).toBeFalsy();
      const left = await call('list_records', { zone: 'example.com', name: 'v1app', record_type: 'TXT' });
      expect(left.structuredContent?.['records']).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
