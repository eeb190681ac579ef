/**
 * The browser side of the MCP App tests: Debian's Chromium (playwright-core, no download) showing
 * test/apps/host, whose MCP Client talks to the built server over its stdio through this relay:
 * each JSON-RPC message the page sends goes to the server's stdin, each line of its stdout back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ORIGIN = 'http://host.test';

export interface AppHost {
  page: Page;
  /** A tools/call from the host's client (as the model's call would be). */
  call(name: string, args: Record<string, unknown>): Promise<HostResult>;
  /** The same, then the tool's view rendered with the result. */
  run(name: string, args: Record<string, unknown>): Promise<HostResult>;
  /** Every tool the server lists, with its _meta. */
  allTools(): Promise<Array<{ name: string; _meta?: Record<string, unknown> }>>;
  /** The tools as the host gives them to the model (app-only ones left out by ext-apps' isToolVisibilityAppOnly). */
  modelTools(): Promise<string[]>;
  /** The tools/call requests the view made through the bridge, with their results. */
  appCalls(): Promise<Array<{ name: string; arguments: Record<string, unknown>; result: HostResult }>>;
  /** The view's text once it contains `until`, whether a hostile value's script ran, and how many script/img elements its content holds. */
  viewState(until: string): Promise<{ text: string; pwned: unknown; markup: number }>;
  /** The frame of the view rendered last. */
  view(): Promise<Frame>;
  stderr(): string;
  close(): Promise<void>;
}

let hostScript: Promise<string> | undefined;
function bundleHost(): Promise<string> {
  hostScript ??= build({ entryPoints: ['test/apps/host/host.ts'], bundle: true, format: 'iife', platform: 'browser', target: 'es2022', write: false, logLevel: 'error' }).then((r) => r.outputFiles[0]!.text);
  return hostScript;
}

export async function startAppHost(serverArgs: string[], env: Record<string, string> = {}): Promise<AppHost> {
  const profile = mkdtempSync(join(tmpdir(), 'vpsorg-chromium-'));
  let browser: BrowserContext | undefined;
  let server: ChildProcess | undefined;
  let err = '';
  try {
    server = spawn(process.execPath, ['dist/index.js', ...serverArgs], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    server.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    // A fresh profile directory each time, and its default context.
    browser = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, viewport: { width: 960, height: 720 } });
    const page = browser.pages()[0] ?? (await browser.newPage());
    const script = await bundleHost();
    await page.route(`${ORIGIN}/**`, (route) => {
      const js = route.request().url().endsWith('/host.js');
      return route.fulfill({
        contentType: js ? 'text/javascript' : 'text/html',
        body: js ? script : '<!doctype html><html><head><meta charset="utf-8"><title>test host</title></head><body style="margin:0;background:#fff"><script src="/host.js"></script></body></html>',
      });
    });
    const child = server;
    await page.exposeFunction('__toServer', (line: string) => void child.stdin!.write(`${line}\n`));
    createInterface({ input: server.stdout! }).on('line', (line) => void page.evaluate((l) => (globalThis as unknown as { __fromServer?(l: string): void }).__fromServer?.(l), line).catch(() => undefined));
    await page.goto(`${ORIGIN}/`);
    await onHost(page, 'connect');
    const b = browser;
    const view = async (): Promise<Frame> => {
      const frame = await (await page.waitForSelector('iframe#view')).contentFrame();
      if (!frame) throw new Error('the view has no frame');
      return frame;
    };
    return {
      page,
      view,
      call: (name, args) => onHost(page, 'call', name, args),
      run: (name, args) => onHost(page, 'run', name, args),
      allTools: () => onHost(page, 'allTools'),
      modelTools: () => onHost(page, 'modelTools'),
      appCalls: () => onHost(page, 'appCalls'),
      async viewState(until) {
        const frame = await view();
        // Functions, not strings: the view's CSP forbids eval, which a string predicate needs.
        await frame.waitForFunction((s) => (globalThis as unknown as ViewGlobals).document.body.innerText.includes(s), until);
        return frame.evaluate(() => {
          const g = globalThis as unknown as ViewGlobals;
          return { text: g.document.body.innerText, pwned: g.__pwned, markup: g.document.querySelectorAll('#root script, #root img').length };
        });
      },
      stderr: () => err,
      async close() {
        await b.close();
        child.kill();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await browser?.close();
    server?.kill();
    rmSync(profile, { recursive: true, force: true });
    throw new Error(`${e instanceof Error ? e.message : String(e)}\nserver stderr:\n${err}`);
  }
}

/** The few page globals the tests read in a view (the test code is typed for Node, without the DOM). */
interface ViewGlobals {
  document: { body: { innerText: string }; querySelectorAll(selector: string): { length: number } };
  __pwned?: unknown;
}

/** What the host page's tools/call gives back (the MCP CallToolResult). */
export interface HostResult {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content?: Array<{ text?: string }>;
  _meta?: Record<string, unknown>;
}

/** Runs a method of the page's `host` (test/apps/host/host.ts) in the page. The test code is typed for Node, without the DOM. */
function onHost<T>(page: Page, method: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(({ method, args }) => {
    const host = (globalThis as unknown as { host: Record<string, (...a: unknown[]) => unknown> }).host;
    const member = host[method];
    return (typeof member === 'function' ? member.apply(host, args) : member) as T;
  }, { method, args });
}
