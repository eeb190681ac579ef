/**
 * The built server (dist/) chooses the approval page by itself (VPSORG_CONFIRM_MODE=auto) for a
 * client that declares URL-mode elicitation: over stdio on both protocol eras (2026-07-28 input
 * requests; 2025 through the SDK's shim, one long-running call), over --http under the transport's
 * own host; and the CLI's --approve-in-browser. The person is Chromium, clicking the page.
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { startEmulator, DEFAULT_TEST_TOKEN, type Emulator } from '../../src/emulator/index.js';
import { launchChromium, press, type Browser } from '../helpers/chromium.js';
import { BIN } from '../helpers/cli.js';
import { seed, writes } from '../e2e/safety-helpers.js';

let emu: Emulator;
let browser: Browser;
beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first (npm test does).`);
  emu = await startEmulator({ seed: 'empty' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await emu?.close();
});
beforeEach(() => seed(emu));

const env = () => ({ PATH: process.env['PATH'] ?? '', VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN, VPSORG_JOURNAL: 'off' });
const has = (name: string, type: string) => (emu.store.findZone('example.com')?.records ?? []).some((r) => r.name === name && r.record_type === type);

/** The person: opens the page, checks it shows the record, clicks a button; returns the page's verdict. */
async function decide(url: string, button: 'Approve' | 'Decline', shows = '192.0.2.10'): Promise<string> {
  const { page, errors } = await browser.page();
  try {
    await page.goto(url);
    expect(await page.locator('body').innerText()).toContain(shows);
    await press(page, button);
    expect(errors).toEqual([]);
    return await page.locator('h1').innerText();
  } finally {
    await page.close();
  }
}

/** A v2 client declaring URL-mode elicitation only; its handler lets the person decide, then answers accept (the page was opened). */
function urlClient(mode: 'legacy' | { pin: string }, button: 'Approve' | 'Decline', seen: string[], clicks: Array<Promise<unknown>> = []): Client {
  const client = new Client({ name: 'url-client', version: '1' }, { capabilities: { elicitation: { url: {} } }, versionNegotiation: { mode } });
  client.setNotificationHandler('notifications/elicitation/complete', (n) => void seen.push(`complete:${(n.params as { elicitationId: string }).elicitationId}`));
  client.setRequestHandler('elicitation/create', async (req) => {
    const p = req.params as { mode?: string; url?: string; elicitationId?: string };
    if (p.mode !== 'url' || !p.url) return { action: 'decline' } as never;
    seen.push(p.url);
    if (p.elicitationId) seen.push(`id:${p.elicitationId}`);
    // The click lands while the call waits: the decision never passes through the client's answer.
    clicks.push(new Promise((r) => setTimeout(r, 50)).then(() => decide(p.url as string, button)).then((v) => seen.push(v)));
    return { action: 'accept' } as never;
  });
  return client;
}

describe('auto picks the approval page when the client declares URL elicitation', () => {
  it.each([
    ['stdio, 2026-07-28', { pin: '2026-07-28' }],
    ['stdio, 2025 (initialize; the SDK shim sends elicitation/create)', 'legacy' as const],
  ])('%s: Approve deletes the record; the page is on loopback', async (_l, mode) => {
    const seen: string[] = [];
    const clicks: Array<Promise<unknown>> = [];
    const client = urlClient(mode, 'Approve', seen, clicks);
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN], env: env(), stderr: 'pipe' }));
    try {
      const r = (await client.callTool({ name: 'delete_record', arguments: { zone: 'example.com', name: 'www', record_type: 'A' } })) as { isError?: boolean; structuredContent?: Record<string, unknown>; content?: Array<{ text?: string }> };
      expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
      expect(r.structuredContent).toMatchObject({ confirmation: 'confirmed_by_user', applied: true });
      await Promise.all(clicks);
      expect(seen[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/approve\//);
      expect(seen).toContain('Approved and applied');
      const id = seen.find((x) => x.startsWith('id:'))?.slice(3);
      if (mode === 'legacy') {
        // 2025-11-25: the elicitation is named, and the server says when it is complete.
        expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
        for (let i = 0; i < 40 && !seen.includes(`complete:${id}`); i++) await new Promise((w) => setTimeout(w, 25));
        expect(seen).toContain(`complete:${id}`);
      } else expect(id).toBeUndefined();
      expect(has('www', 'A')).toBe(false);
    } finally {
      await client.close();
    }
  });

  it('stdio: Decline on the page changes nothing', async () => {
    const seen: string[] = [];
    const client = urlClient({ pin: '2026-07-28' }, 'Decline', seen);
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN], env: env(), stderr: 'pipe' }));
    try {
      const r = (await client.callTool({ name: 'delete_record', arguments: { zone: 'example.com', name: 'www', record_type: 'A' } })) as { structuredContent?: Record<string, unknown> };
      expect(r.structuredContent).toMatchObject({ confirmation: 'declined', applied: false });
      expect(writes(emu)).toHaveLength(0);
    } finally {
      await client.close();
    }
  });

  it('--http: the page is served under the MCP endpoint\'s own host, and Approve deletes the record', async () => {
    // The operator says a TLS-terminating proxy sets X-Forwarded-Proto (without it the header is ignored: test/security/public-url.test.ts).
    const child = spawn(process.execPath, [BIN, '--http', '--port', '0', '--no-http-auth'], { env: { ...env(), VPSORG_TRUST_FORWARDED: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    try {
      for (let i = 0; i < 400 && !/at http:\/\/127\.0\.0\.1:\d+\/mcp/.test(err); i++) await new Promise((r) => setTimeout(r, 25));
      const endpoint = /(http:\/\/127\.0\.0\.1:\d+)\/mcp/.exec(err)?.[1];
      expect(endpoint, err).toBeDefined();
      const seen: string[] = [];
      const client = urlClient({ pin: '2026-07-28' }, 'Approve', seen);
      await client.connect(new StreamableHTTPClientTransport(new URL(`${endpoint}/mcp`)));
      const r = (await client.callTool({ name: 'delete_record', arguments: { zone: 'example.com', name: 'www', record_type: 'A' } })) as { isError?: boolean; structuredContent?: Record<string, unknown>; content?: Array<{ text?: string }> };
      expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
      expect(r.structuredContent).toMatchObject({ confirmation: 'confirmed_by_user', applied: true });
      expect(seen[0]?.startsWith(`${endpoint}/approve/`)).toBe(true);
      expect(has('www', 'A')).toBe(false);
      await client.close();
      // Behind a trusted TLS-terminating proxy (X-Forwarded-Proto: https) the page is offered over https.
      const proxied: string[] = [];
      const behind = new Client({ name: 'behind-proxy', version: '1' }, { capabilities: { elicitation: { url: {} } }, versionNegotiation: { mode: { pin: '2026-07-28' } } });
      behind.setRequestHandler('elicitation/create', async (req) => (proxied.push((req.params as { url?: string }).url ?? ''), { action: 'decline' }) as never);
      await behind.connect(new StreamableHTTPClientTransport(new URL(`${endpoint}/mcp`), { requestInit: { headers: { 'x-forwarded-proto': 'https' } } }));
      await behind.callTool({ name: 'delete_record', arguments: { zone: 'example.com', name: '@', record_type: 'A' } });
      expect(proxied[0]?.startsWith(`${(endpoint as string).replace('http://', 'https://')}/approve/`), proxied.join(' ')).toBe(true);
      expect(has('@', 'A')).toBe(true);
      await behind.close();
      // The page route takes no access key, but keeps the transport's Host check.
      const wrongHost = await new Promise<number>((resolve, reject) => {
        const u = new URL(`${endpoint}/approve/x`);
        request({ host: u.hostname, port: u.port, path: u.pathname, headers: { host: 'evil.example' } }, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject).end();
      });
      expect(wrongHost).toBe(403);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});

describe('vpsorg-dns-mcp call ... --approve-in-browser', () => {
  /** Runs the CLI; as soon as it prints the page URL on stderr, the person decides. */
  function run(args: string[], button: 'Approve' | 'Decline'): Promise<{ code: number | null; stdout: string; stderr: string; url?: string; page?: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, 'call', ...args, '--approve-in-browser'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      let url: string | undefined;
      let click: Promise<string | undefined> = Promise.resolve(undefined);
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /Approve or decline in your browser: (http:\/\/127\.0\.0\.1:\d+\/approve\/\S+)/.exec(stderr);
        if (m && !url) {
          url = m[1] as string;
          click = decide(url, button);
        }
      });
      child.on('exit', (code) => void click.then((page) => resolve({ code, stdout, stderr, ...(url ? { url } : {}), ...(page ? { page } : {}) })));
    });
  }

  it('one process: prints the page URL, waits for the click, applies on Approve and exits 0', async () => {
    const r = await run(['delete_record', '--zone', 'example.com', '--name', 'www', '--record-type', 'A'], 'Approve');
    expect(r.url, r.stderr).toBeDefined();
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ confirmation: 'confirmed_by_user', applied: true });
    expect(r.page).toBe('Approved and applied');
    expect(has('www', 'A')).toBe(false);
  });

  it('Decline exits 7 and changes nothing', async () => {
    const r = await run(['delete_zone', '--zone', 'example.com'], 'Decline');
    expect(r.code, r.stderr).toBe(7);
    expect(r.stderr).toMatch(/Nothing was changed: the change was declined \(exit code 7\)/);
    expect(writes(emu)).toHaveLength(0);
  });
});
