/** Debian's Chromium (scripts/install-browser.sh) driven by playwright-core: no browser download, a fresh profile per launch. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Response } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Browser {
  context: BrowserContext;
  /** A new page that records every page error and console message, and every request it makes. */
  page(): Promise<{ page: Page; errors: string[]; console: string[]; requests: string[] }>;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  const dir = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, args: ARGS, headless: true });
  return {
    context,
    async page() {
      const page = await context.newPage();
      const errors: string[] = [];
      const messages: string[] = [];
      const requests: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
      page.on('request', (r) => requests.push(r.url()));
      return { page, errors, console: messages, requests };
    },
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Clicks a button that posts the page's form and waits for the answer to load (a click alone does not wait for it). */
export async function press(page: Page, name: string): Promise<Response> {
  const [res] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name }).click()]);
  await page.waitForLoadState();
  return res;
}
