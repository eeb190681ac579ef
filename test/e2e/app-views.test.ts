/**
 * The MCP App views in a real browser: Debian's Chromium shows a small host (test/apps/host) built
 * on ext-apps' own host side (AppBridge), connected to the built server in sandbox mode over its
 * stdio. The views render real results (the sandbox's nameservers answer for the grid), provider
 * text stays text, and screenshots of each view go to docs/screenshots for the README.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppHost, type AppHost } from '../apps/browser.js';

// A TXT value that would run script if a view ever put it on the page as markup.
const HOSTILE = '<script>window.__pwned=1</script><img src=x onerror=window.__pwned=2>';
const SHOTS = 'docs/screenshots';

let h: AppHost;
beforeAll(async () => {
  if (!existsSync('dist/index.js')) throw new Error('dist/index.js is missing: run npm run build first (npm test does).');
  if (!existsSync('/usr/bin/chromium')) throw new Error('/usr/bin/chromium is missing: run scripts/install-browser.sh (npm test does).');
  mkdirSync(SHOTS, { recursive: true });
  h = await startAppHost(['--sandbox', '--publish-delay-ms', '0,1500']);
});
afterAll(async () => {
  await h?.close();
});

const call = (name: string, args: Record<string, unknown>) => h.call(name, args);
const run = (name: string, args: Record<string, unknown>) => h.run(name, args);
const viewText = (until: string) => h.viewState(until);
const txtCount = async (name: string) => ((await call('list_records', { zone: 'example.com', name, record_type: 'TXT' })).structuredContent?.['records'] as unknown[]).length;
const shot = async (file: string) => (await h.page.$('iframe#view'))!.screenshot({ path: `${SHOTS}/${file}` });

describe('MCP App views in Chromium, through the ext-apps host bridge', () => {
  it('declares each view on its tool, and serves it as an MCP App page with a strict CSP', async () => {
    const tools = await h.allTools();
    const meta = (n: string) => tools.find((t) => t.name === n)?._meta;
    expect(meta('check_propagation')).toEqual({ ui: { resourceUri: 'ui://vpsorg-dns-mcp/propagation.html' }, 'ui/resourceUri': 'ui://vpsorg-dns-mcp/propagation.html' });
    expect(meta('audit_zone')).toEqual({ ui: { resourceUri: 'ui://vpsorg-dns-mcp/audit.html' }, 'ui/resourceUri': 'ui://vpsorg-dns-mcp/audit.html' });
    expect(meta('list_records')).toBeUndefined();
  });

  it('shows check_propagation as a grid: each nameserver, in sync or pending, with serials', async () => {
    expect((await call('create_record', { zone: 'example.com', record_type: 'TXT', name: 'app', value: HOSTILE, ttl: 300 })).isError).toBeFalsy();
    const res = await run('check_propagation', { zone: 'example.com', name: 'app', record_type: 'TXT' });
    const servers = (res.structuredContent?.['result'] as { servers: Array<{ host: string; status: string; serial: number }> }).servers;
    // ns2 publishes 1.5 s late: right after the write, ns1 has it and ns2 does not.
    expect(servers.map((s) => `${s.host}:${s.status}`)).toEqual(['ns1.vps.org:in_sync', 'ns2.vps.org:pending']);
    const seen = await viewText('pending');
    expect(seen.text).toContain('ns1.vps.org');
    expect(seen.text).toContain('ns2.vps.org');
    expect(seen.text).toContain('in sync');
    expect(seen.text).toContain('not propagated yet');
    for (const s of servers) expect(seen.text).toContain(`serial ${s.serial}`);
    // The value as ns1 serves it, shown as text: no script ran and no element was made of it.
    expect(seen.text).toContain('<script>window.__pwned=1</script>');
    expect(seen.pwned).toBeUndefined();
    expect(seen.markup).toBe(0);
    await shot('app-propagation.png');
  });

  it('shows audit_zone as a report with the real findings', async () => {
    const res = await run('audit_zone', { zone: 'example.com' });
    const s = res.structuredContent as { counts: { error: number }; findings: Array<{ code: string; examples: Array<{ message: string }> }> };
    expect(s.counts.error).toBeGreaterThan(0);
    const seen = await viewText('Fix');
    expect(seen.text).toContain(`${s.counts.error} errors`);
    for (const f of s.findings) {
      expect(seen.text).toContain(f.code);
      expect(seen.text).toContain(f.examples[0]!.message);
    }
    await shot('app-audit.png');
  });

  it('gives the model every tool but the app-only approve_plan (ext-apps isToolVisibilityAppOnly)', async () => {
    const all = await h.allTools();
    expect(all.find((t) => t.name === 'approve_plan')?._meta).toEqual({ ui: { visibility: ['app'] } });
    const model = await h.modelTools();
    expect(model).not.toContain('approve_plan');
    expect(model.sort()).toEqual(all.map((t) => t.name).filter((n) => n !== 'approve_plan').sort());
  });

  it('shows an apply_zone plan held for approval: old -> new, risks, new findings; Approve applies it', async () => {
    const records = [{ name: '@', record_type: 'MX', value: 'mx.elsewhere.example.com.', priority: 5 }, { name: 'api', record_type: 'A', value: '203.0.113.80' }];
    const args = { zone: 'example.com', records, mode: 'upsert' };
    const res = await run('apply_zone', args);
    expect(res.structuredContent?.['confirmation']).toBe('awaiting_approval');
    // Nothing the model reads can confirm it: no token, and the approval is only in the result's _meta.
    expect(res.structuredContent?.['confirm_token']).toBeUndefined();
    const approval = (res._meta?.['vpsorg-dns-mcp/approval'] as { approval: string }).approval;
    expect(JSON.stringify(res.structuredContent) + JSON.stringify(res.content)).not.toContain(approval);
    const seen = await viewText('Approve');
    expect(seen.text).toContain('waiting for your approval');
    expect(seen.text).toMatch(/10 mail\.example\.com\.? \(ttl \d+\)/);
    expect(seen.text).toContain('5 mx.elsewhere.example.com');
    expect(seen.text).toContain('203.0.113.80');
    expect(seen.text).toMatch(/\d+ deletes?/);
    expect(seen.text).toContain('blast radius');
    expect(seen.text).toContain('New audit findings');
    await shot('app-plan.png');
    const frame = await h.view();
    await frame.click('#approve');
    await viewText('approved and applied');
    const [callOfView] = (await h.appCalls()).filter((c) => c.name === 'approve_plan');
    expect(callOfView?.arguments).toEqual({ tool: 'apply_zone', arguments: JSON.stringify(args), approval });
    expect(callOfView?.result.isError).toBeFalsy();
    const mx = await call('list_records', { zone: 'example.com', record_type: 'MX' });
    expect((mx.structuredContent?.['records'] as Array<{ value: string; priority: number }>).map((r) => `${r.priority} ${r.value}`)).toEqual(['5 mx.elsewhere.example.com']);
  });

  it('shows a hostile TXT value in a delete plan as text (no script runs); Approve deletes it; a forged approval is refused', async () => {
    const res = await run('delete_record', { zone: 'example.com', name: 'app', record_type: 'TXT' });
    const approval = (res._meta?.['vpsorg-dns-mcp/approval'] as { approval: string }).approval;
    const seen = await viewText('Approve');
    expect(seen.text).toContain(HOSTILE);
    expect(seen.pwned).toBeUndefined();
    expect(seen.markup).toBe(0);
    // What a forged digest gets: refused, nothing deleted (called as the view would, through the host).
    const forged = await call('approve_plan', { tool: 'delete_record', arguments: JSON.stringify({ zone: 'example.com', name: 'app', record_type: 'TXT' }), approval: `${approval.split('.')[0]}.${'A'.repeat(43)}` });
    expect(forged.isError).toBe(true);
    expect(forged.content?.[0]?.text).toMatch(/integrity check/);
    expect(await txtCount('app')).toBe(1);
    await (await h.view()).click('#approve');
    await viewText('approved and applied');
    expect(await txtCount('app')).toBe(0);
  });

  it('shows a plan_zone preview; Apply holds it for approval in the same view, and Approve applies it', async () => {
    // Two values repointed at once (the apex A and AAAA): more than one repoint needs a person.
    const records = [{ name: '@', record_type: 'A', value: '203.0.113.10' }, { name: '@', record_type: 'AAAA', value: '2001:db8::10' }];
    await run('plan_zone', { zone: 'example.com', records, mode: 'upsert' });
    const seen = await viewText('Apply...');
    expect(seen.text).toContain('preview: nothing changed');
    expect(seen.text).toContain('2001:db8::10');
    await (await h.view()).click('#apply');
    // apply_zone replaces a value: the gate holds it for the person, in the view.
    expect((await viewText('Approve')).text).toContain('waiting for your approval');
    await (await h.view()).click('#approve');
    await viewText('approved and applied');
    expect((await h.appCalls()).slice(-2).map((c) => c.name)).toEqual(['apply_zone', 'approve_plan']);
    const apex = await call('list_records', { zone: 'example.com', name: '@' });
    const values = (apex.structuredContent?.['records'] as Array<{ record_type: string; value: string }>).filter((r) => r.record_type === 'A' || r.record_type === 'AAAA').map((r) => r.value);
    expect(values.sort()).toEqual(['2001:db8::10', '203.0.113.10']);
  });

  it('shows a failed call as an error, not as an empty view', async () => {
    await run('audit_zone', { zone: 'no-such-zone.example' });
    const seen = await viewText('The call failed');
    expect(seen.text).toMatch(/no-such-zone\.example/);
  });
});
