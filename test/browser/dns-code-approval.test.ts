/**
 * `apply --approve-in-browser` (DNS as code): where only a person may confirm (VPSORG_HUMAN_FOR),
 * --confirm is no way around it; the approval page shows the plan, and the person is Chromium.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, DEFAULT_TEST_TOKEN, type Emulator } from '../../src/emulator/index.js';
import { EXIT } from '../../src/cli/report.js';
import { launchChromium, press, type Browser } from '../helpers/chromium.js';
import { BIN, cli } from '../helpers/cli.js';

let emu: Emulator;
let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), 'vpsorg-dns-code-browser-'));
const env = () => ({ VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN, VPSORG_JOURNAL: 'off', VPSORG_HUMAN_FOR: 'delete' });
const has = (name: string) => (emu.store.findZone('example.com')?.records ?? []).some((r) => r.name === name);

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo' });
  browser = await launchChromium();
  expect((await cli(['export', '--dir', dir], env())).code).toBe(0);
  const file = join(dir, 'example.com.zone');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^_dmarc .*\n/m, ''));
});
afterAll(async () => {
  await browser?.close();
  await emu?.close();
});

describe('apply --approve-in-browser', { timeout: 120_000 }, () => {
  it('a held delete that only a person may confirm: --confirm is refused with nothing sent; Approve on the page applies it', async () => {
    const plan = JSON.parse((await cli(['plan', '--dir', dir, '--format', 'json'], env())).stdout) as { digest: string; effects: string[] };
    expect(plan.effects).toEqual(['delete']);
    const refused = await cli(['apply', '--dir', dir, '--checksum', plan.digest, '--confirm', 'delete'], env());
    expect(refused.code).toBe(EXIT.needsConfirmation);
    expect(refused.stderr).toMatch(/only by a person .*--approve-in-browser/);
    expect(has('_dmarc')).toBe(true);

    const child = spawn(process.execPath, [BIN, 'apply', '--dir', dir, '--checksum', plan.digest, '--approve-in-browser', '--format', 'json'], { env: { PATH: process.env['PATH'] ?? '', ...env() }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let clicked: Promise<string> | undefined;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const url = /Approve or decline in your browser: (http:\/\/127\.0\.0\.1:\d+\/approve\/\S+)/.exec(stderr)?.[1];
      if (url && !clicked) {
        clicked = (async () => {
          const { page } = await browser.page();
          await page.goto(url);
          expect(await page.locator('body').innerText()).toContain('_dmarc');
          await press(page, 'Approve');
          return page.locator('h1').innerText();
        })();
      }
    });
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code, stderr).toBe(0);
    expect(await clicked).toBe('Approved and applied');
    expect(JSON.parse(stdout)).toMatchObject({ digest: plan.digest, zones: [{ confirmation: 'confirmed_by_user', applied: true }] });
    expect(has('_dmarc')).toBe(false);
  });
});
