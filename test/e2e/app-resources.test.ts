/**
 * The MCP App views as resources (read from the build, as a host reads them): the Apps mime type,
 * a CSP that allows exactly the page's own inline script and style and nothing else, no external
 * domain declared, and only for tools this configuration registers.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { RESOURCE_MIME_TYPE } from '@modelcontextprotocol/ext-apps/server';
import { startHarness, type Harness } from '../helpers/harness.js';
import { rendersApps } from '../../src/apps/views.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const views = async (hh: Harness) => (await hh.client.listResources()).resources.filter((r) => r.uri.startsWith('ui://'));

describe('MCP App views as ui:// resources', () => {
  it('lists the views of the registered tools with the MCP Apps mime type', async () => {
    h = await startHarness();
    const listed = await views(h);
    expect(listed.map((r) => r.uri).sort()).toEqual(['ui://vpsorg-dns-mcp/audit.html', 'ui://vpsorg-dns-mcp/plan.html', 'ui://vpsorg-dns-mcp/propagation.html']);
    for (const r of listed) expect(r.mimeType).toBe(RESOURCE_MIME_TYPE);
  });

  it('serves a self-contained page whose CSP allows its own script and style by hash, and nothing else', async () => {
    h = await startHarness();
    const read = await h.client.readResource({ uri: 'ui://vpsorg-dns-mcp/propagation.html' });
    const c = read.contents[0] as { mimeType: string; text: string; _meta?: { ui?: { csp?: Record<string, string[]> } } };
    expect(c.mimeType).toBe(RESOURCE_MIME_TYPE);
    // No external domain of any kind is declared to the host.
    expect(c._meta?.ui?.csp).toEqual({ connectDomains: [], resourceDomains: [], frameDomains: [], baseUriDomains: [] });
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(c.text)?.[1] ?? '';
    const scripts = [...c.text.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    const styles = [...c.text.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    expect(styles).toHaveLength(1);
    const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
    expect(csp).toBe(`default-src 'none'; script-src ${hash(scripts[0]!)}; style-src ${hash(styles[0]!)}; img-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'`);
    // Self-contained: no script, style, image or frame is loaded from anywhere.
    expect(c.text).not.toMatch(/<(script|link|img|iframe)[^>]*\s(src|href)=/i);
    expect(c.text).toContain('data-view="propagation"');
  });

  it('leaves out the views of tools this configuration does not register, and approve_plan without a write to approve', async () => {
    h = await startHarness({ env: { VPSORG_TOOLSETS: 'account' } });
    expect(await views(h)).toEqual([]);
    const tools = (await h.client.listTools()).tools;
    expect(tools.filter((t) => t._meta !== undefined)).toEqual([]);
    expect(tools.map((t) => t.name)).not.toContain('approve_plan');
  });

  it('declares approve_plan app-only, and the plan view on every write the gate may hold', async () => {
    h = await startHarness({ env: { VPSORG_TOOLSETS: 'zones' } });
    const tools = (await h.client.listTools()).tools;
    const meta = Object.fromEntries(tools.map((t) => [t.name, t._meta]));
    expect(meta['approve_plan']).toEqual({ ui: { visibility: ['app'] } });
    const plan = { ui: { resourceUri: 'ui://vpsorg-dns-mcp/plan.html' }, 'ui/resourceUri': 'ui://vpsorg-dns-mcp/plan.html' };
    expect(meta['delete_zone']).toEqual(plan);
    // create_zone goes through the gate too (held in human mode, or where VPSORG_HUMAN_FOR names it).
    expect(meta['create_zone']).toEqual(plan);
    expect(meta['list_zones']).toBeUndefined();
    expect((await views(h)).map((r) => r.uri)).toEqual(['ui://vpsorg-dns-mcp/plan.html']);
  });
});

describe('rendersApps: the client capability the gate is told about', () => {
  it('is true only for a client declaring the io.modelcontextprotocol/ui extension with the Apps mime type', () => {
    expect(rendersApps({ extensions: { 'io.modelcontextprotocol/ui': { mimeTypes: [RESOURCE_MIME_TYPE] } } })).toBe(true);
    expect(rendersApps({ extensions: { 'io.modelcontextprotocol/ui': { mimeTypes: ['text/html'] } } })).toBe(false);
    expect(rendersApps({ extensions: { 'io.modelcontextprotocol/ui': {} } })).toBe(false);
    expect(rendersApps({ elicitation: {} })).toBe(false);
    expect(rendersApps(undefined)).toBe(false);
  });
});
