/**
 * The URL-mode approval page in Debian's Chromium (issue 16.1): a real v2 client (2026-07-28)
 * declares URL elicitation, the server serves the page on loopback, and the test acts as the
 * person: it reads the page, then approves or declines it with the page's own buttons.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, DEFAULT_TEST_TOKEN, type Emulator } from '../../src/emulator/index.js';
import { ApprovalStore } from '../../src/safety/approval-desk.js';
import { lazyLoopbackDesk } from '../../src/http/loopback-desk.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { launchChromium, press, type Browser } from '../helpers/chromium.js';
import { RECORDS, apiFor, seed, writes } from '../e2e/safety-helpers.js';

const HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';
import { SHOTS } from '../helpers/screenshots.js';

let emu: Emulator;
let browser: Browser;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'empty' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await emu?.close();
});
beforeEach(() => {
  seed(emu);
  emu.store.reset();
  // `leak` holds the API token, as a careless value might: the page must show *** instead.
  emu.store.addZone('example.com', [...RECORDS, { record_type: 'TXT', name: 'evil', value: HOSTILE }, { record_type: 'TXT', name: 'leak', value: `token=${DEFAULT_TEST_TOKEN}` }]);
});

const recordsOf = (zone: string) =>
  (emu.store.findZone(zone)?.records ?? []).map((r) => `${r.name} ${r.record_type} ${r.priority ?? ''} ${r.value}`.replace(/ {2}/, ' ')).sort();

interface Session {
  h: Harness;
  /** The URL of the next approval page the client is asked to open. */
  nextUrl(): Promise<string>;
  messages: string[];
}

/** A client that declares URL elicitation and "opens" the page by handing its URL to the test. */
async function urlClient(env: Record<string, string> = {}, skew?: { ms: number }): Promise<Session> {
  const urls: string[] = [];
  const waiting: Array<(u: string) => void> = [];
  const messages: string[] = [];
  const store = skew ? new ApprovalStore(() => Date.now() + skew.ms) : new ApprovalStore();
  const h = await startHarness({
    emu,
    env,
    deps: { approvals: lazyLoopbackDesk(store) },
    elicitation: { url: {} },
    elicit: async (p) => {
      messages.push(p.message);
      if (p.mode !== 'url' || !p.url) return { action: 'decline' };
      const w = waiting.shift();
      if (w) w(p.url);
      else urls.push(p.url);
      return { action: 'accept' };
    },
  });
  return {
    h,
    messages,
    nextUrl: () => (urls.length ? Promise.resolve(urls.shift() as string) : new Promise<string>((r) => waiting.push(r))),
  };
}

describe('the approval page (stdio loopback, 2026-07-28 client with URL elicitation)', () => {
  it('shows a hostile TXT value as text and runs no script; Approve deletes exactly that record', async () => {
    const s = await urlClient();
    try {
      const call = s.h.call('delete_record', { zone: 'example.com', name: 'evil', record_type: 'TXT' });
      const url = await s.nextUrl();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/approve\/[A-Za-z0-9_-]{32}$/);
      const { page, errors, console, requests } = await browser.page();
      const res = await page.goto(url);
      expect(res?.status()).toBe(200);
      const csp = res?.headers()['content-security-policy'] ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toMatch(/script-src|unsafe-inline/);
      // The value is on the page as text: no element was made from it, and nothing ran.
      expect(await page.locator('body').innerText()).toContain(HOSTILE);
      // (Expressions as strings: the tests compile without the DOM library.)
      expect(await page.evaluate("document.querySelectorAll('script, img, iframe, object, embed, link').length")).toBe(0);
      expect(await page.evaluate('window.__pwned')).toBeUndefined();
      expect(await page.locator('body').innerText()).toContain('deletes 1 record');
      await page.screenshot({ path: `${SHOTS}/approval-page.png`, fullPage: true });
      expect(writes(emu)).toHaveLength(0);
      await press(page, 'Approve');
      // The answer to the click waits for the change and says what became of it.
      expect(await page.locator('h1').innerText()).toBe('Approved and applied');
      const r = await call;
      expect(r.isError, r.text).toBeFalsy();
      expect(r.structured).toMatchObject({ confirmation: 'confirmed_by_user', applied: true });
      expect(recordsOf('example.com').some((x) => x.startsWith('evil '))).toBe(false);
      expect(recordsOf('example.com')).toHaveLength(RECORDS.length + 1);
      expect(errors).toEqual([]);
      expect(console).toEqual([]);
      // Nothing loaded from anywhere but the page itself.
      expect(requests.every((u) => u.startsWith(new URL(url).origin))).toBe(true);
      // Single use: the page is spent, and a second post of the same form is refused.
      expect((await page.goto(url))?.status()).toBe(410);
      await page.close();
    } finally {
      await s.h.close();
    }
  });

  it('Approve applies exactly the previewed plan (apply_zone, sync): the zone after equals the plan', async () => {
    const s = await urlClient();
    try {
      const desired = [
        { name: '@', record_type: 'A', value: '203.0.113.5' },
        { name: 'www', record_type: 'A', value: '192.0.2.10' },
        { name: '@', record_type: 'MX', value: 'mail.example.com', priority: 10 },
        { name: '@', record_type: 'TXT', value: 'v=spf1 -all' },
        { name: 'new', record_type: 'AAAA', value: '2001:db8::5' },
      ];
      const call = s.h.call('apply_zone', { zone: 'example.com', mode: 'sync', records: desired });
      const { page, errors } = await browser.page();
      await page.goto(await s.nextUrl());
      const text = await page.locator('body').innerText();
      for (const line of ['api.example.com A', 'note.example.com TXT', 'evil.example.com TXT', 'new.example.com AAAA']) expect(text).toContain(line);
      expect(text).toMatch(/192\.0\.2\.1 +\(ttl 3600\)\s+203\.0\.113\.5 +\(ttl 3600\)/);
      expect(text).toContain('APEX A: where the domain itself points');
      // The record holding the API token is listed (its delete, the snapshot) with the token redacted.
      expect(await page.content()).not.toContain(DEFAULT_TEST_TOKEN);
      expect(text).toContain('leak.example.com TXT');
      expect(text).toMatch(/token=(vps_)?\*\*\*/);
      await page.screenshot({ path: `${SHOTS}/approval-page-plan.png`, fullPage: true });
      await press(page, 'Approve');
      const r = await call;
      expect(r.isError, r.text).toBeFalsy();
      expect(r.structured).toMatchObject({ confirmation: 'confirmed_by_user', applied: true });
      expect(recordsOf('example.com')).toEqual(desired.map((d) => `${d.name} ${d.record_type} ${d.priority ?? ''} ${d.value}`.replace(/ {2}/, ' ')).sort());
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await s.h.close();
    }
  });

  it('Decline changes nothing, and the result says so', async () => {
    const s = await urlClient();
    try {
      const before = recordsOf('example.com');
      const call = s.h.call('delete_zone', { zone: 'example.com' });
      const { page } = await browser.page();
      await page.goto(await s.nextUrl());
      await press(page, 'Decline');
      expect(await page.locator('h1').innerText()).toBe('Declined');
      const r = await call;
      expect(r.structured).toMatchObject({ confirmation: 'declined', applied: false });
      expect(r.text).toMatch(/nothing was changed/);
      expect(writes(emu)).toHaveLength(0);
      expect(recordsOf('example.com')).toEqual(before);
      await page.close();
    } finally {
      await s.h.close();
    }
  });

  it('refuses a post from another origin, one without the page token, and a replay; none decides', async () => {
    const s = await urlClient();
    try {
      const call = s.h.call('delete_record', { zone: 'example.com', name: 'www', record_type: 'A' });
      const url = await s.nextUrl();
      const { page } = await browser.page();
      await page.goto(url);
      const csrf = await page.locator('input[name=csrf]').getAttribute('value');
      // Another origin (a second loopback page, as a site the person visits would be), with the right token even.
      const evil = await browser.page();
      await evil.page.goto('about:blank');
      await evil.page.setContent(`<form method="post" action="${url}"><input name="csrf" value="${csrf}"><button name="decision" value="approve">go</button></form>`);
      const [cross] = await Promise.all([evil.page.waitForResponse(url), evil.page.click('button')]);
      expect(cross.status()).toBe(403);
      // The page's own form with its token altered.
      await page.evaluate("document.querySelector('input[name=csrf]').setAttribute('value', 'forged-token')");
      const [forged] = await Promise.all([page.waitForResponse(url), page.getByRole('button', { name: 'Approve' }).click()]);
      expect(forged.status()).toBe(403);
      expect(writes(emu)).toHaveLength(0);
      // The real decision still works once; the same post again is refused.
      await page.goto(url);
      await press(page, 'Decline');
      expect((await call).structured).toMatchObject({ confirmation: 'declined' });
      const replay = await page.request.post(url, { form: { csrf: csrf as string, decision: 'approve' }, headers: { origin: new URL(url).origin } });
      expect([404, 409]).toContain(replay.status());
      expect(writes(emu)).toHaveLength(0);
      await page.close();
      await evil.page.close();
    } finally {
      await s.h.close();
    }
  });

  it('an expired approval is refused on the page and changes nothing (injected clock)', async () => {
    const skew = { ms: 0 };
    const s = await urlClient({}, skew);
    try {
      const call = s.h.call('delete_record', { zone: 'example.com', name: 'www', record_type: 'A' });
      const url = await s.nextUrl();
      const { page } = await browser.page();
      await page.goto(url);
      skew.ms = 5 * 60_000 + 1000;
      const [res] = await Promise.all([page.waitForResponse(url), page.getByRole('button', { name: 'Approve' }).click()]);
      expect(res.status()).toBe(410);
      expect(await page.locator('h1').innerText()).toBe('Expired');
      const r = await call;
      expect(r.structured).toMatchObject({ confirmation: 'expired', applied: false });
      expect(writes(emu)).toHaveLength(0);
      await page.close();
    } finally {
      await s.h.close();
    }
  });

  it('a client that accepts without opening the page (issue 22.12): asked once more, then the call returns the preview and where the approval waits, never its address; a click is applied when the call is made again', async () => {
    const s = await urlClient({ VPSORG_MAX_INLINE_WAIT_S: '1' });
    try {
      // The first retry waits 1 s and asks again with the same page; the retry after that reminder does not hold the call.
      const r = await s.h.call('delete_record', { zone: 'example.com', name: 'www', record_type: 'A' });
      const url = await s.nextUrl();
      expect(await s.nextUrl()).toBe(url);
      expect(s.messages[1]).toContain('Still waiting for your decision');
      expect(r.isError, r.text).toBeFalsy();
      expect(r.structured).toMatchObject({ confirmation: 'awaiting_approval', applied: false });
      expect(r.text).toMatch(/approval page for this change waits for them/);
      expect(r.text).toContain('vpsorg-dns-mcp call delete_record ... --approve-in-browser');
      expect(JSON.stringify(r.raw)).not.toContain(url.split('/approve/')[1] as string);
      expect(writes(emu)).toHaveLength(0);
      // Asked again before anyone decided: the same approval, still waiting, and the call is not held.
      const again = await s.h.call('delete_record', { zone: 'example.com', name: 'www', record_type: 'A' });
      expect(again.structured).toMatchObject({ confirmation: 'awaiting_approval' });
      expect(s.messages).toHaveLength(2);

      const { page } = await browser.page();
      await page.goto(url);
      const clicked = press(page, 'Approve');
      let done = again;
      for (let i = 0; i < 200 && done.structured?.['confirmation'] === 'awaiting_approval'; i++) {
        await new Promise((res) => setTimeout(res, 50));
        done = await s.h.call('delete_record', { zone: 'example.com', name: 'www', record_type: 'A' });
      }
      expect(done.structured).toMatchObject({ confirmation: 'confirmed_by_user', applied: true });
      expect(emu.requests.filter((q) => q.method === 'DELETE')).toHaveLength(1);
      await clicked;
      expect(await page.locator('h1').innerText()).toBe('Approved and applied');
      await page.close();
    } finally {
      await s.h.close();
    }
  });

  it('the zone changes after the page was shown: the approval is refused and nothing is deleted', async () => {
    const s = await urlClient();
    try {
      const call = s.h.call('delete_zone', { zone: 'example.com' });
      const { page } = await browser.page();
      await page.goto(await s.nextUrl());
      await apiFor(emu).createRecord(emu.store.findZone('example.com')?.uuid as string, { record_type: 'A', name: 'late', value: '192.0.2.99' });
      await press(page, 'Approve');
      expect(await page.locator('h1').innerText()).toBe('Approved, but not completed');
      expect(await page.locator('body').innerText()).toMatch(/nothing was changed: The records this call would change are no longer as previewed/);
      const r = await call;
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/no longer as previewed/);
      expect(emu.requests.filter((q) => q.method === 'DELETE')).toHaveLength(0);
      await page.close();
    } finally {
      await s.h.close();
    }
  });
});

describe('human mode without a human channel', () => {
  it('is refused with how to approve instead, and no token is offered', async () => {
    const h = await startHarness({ emu, env: { VPSORG_CONFIRM_MODE: 'human' } });
    try {
      const r = await h.call('delete_zone', { zone: 'example.com' });
      expect(r.isError).toBe(true);
      expect(r.text).toContain("delete_zone needs a person's approval, and this client offers no way to ask one");
      expect(r.text).toContain('vpsorg-dns-mcp call delete_zone ... --approve-in-browser');
      expect(r.text).not.toMatch(/confirm_token:/);
      expect(writes(emu)).toHaveLength(0);
    } finally {
      await h.close();
    }
  });
});
