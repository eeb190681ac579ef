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

  it('shows a failed call as an error, not as an empty view', async () => {
    await run('audit_zone', { zone: 'no-such-zone.example' });
    const seen = await viewText('The call failed');
    expect(seen.text).toMatch(/no-such-zone\.example/);
  });
});
