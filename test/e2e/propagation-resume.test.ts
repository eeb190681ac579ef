/**
 * Waits that outlive no client (issue 12, point 8): an MCP call waits inline at most
 * VPSORG_MAX_INLINE_WAIT_S, with progress, then returns propagated: false and a `resume` handle
 * that another call (here: another server process sharing VPSORG_CONFIRM_SECRET) passes to
 * continue the same wait with the same expectations. Against the sandbox's real nameservers.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';

const SECRET = 'replicas-share-this-secret';
let sb: Sandbox;
let a: Harness;
let b: Harness;
let other: Harness;

beforeAll(async () => {
  // ns2 publishes 6 s after a change; a call waits inline at most 1 s.
  sb = await startSandbox({ publishDelayMs: [0, 6000] });
  const env = { ...sb.env, VPSORG_MAX_INLINE_WAIT_S: '1', VPSORG_CONFIRM_SECRET: SECRET };
  a = await startHarness({ emu: sb.emu, env });
  b = await startHarness({ emu: sb.emu, env });
  other = await startHarness({ emu: sb.emu, env: { ...env, VPSORG_CONFIRM_SECRET: 'not-the-same-secret-at-all' } });
}, 30_000);
afterAll(async () => {
  await Promise.all([a?.close(), b?.close(), other?.close()]);
  await sb?.close();
});

type Res = { propagated: boolean; resume?: string; result: { expected: string[]; servers: Array<{ status: string }> } };
const res = (r: { structured: Record<string, unknown> | undefined }) => r.structured as unknown as Res;

describe('check_propagation with a wait longer than a call may last', () => {
  it('stops at the inline cap with progress and a resume handle; another replica continues it to in_sync', async () => {
    const made = await a.call('create_record', { zone: 'example.com', record_type: 'A', name: 'resume1', value: '192.0.2.91', ttl: 300 });
    expect(made.isError, made.text).toBeFalsy();
    const progress: unknown[] = [];
    const first = (await a.client.callTool(
      { name: 'check_propagation', arguments: { zone: 'example.com', name: 'resume1', record_type: 'A', wait_seconds: 60 } },
      { onprogress: (p) => progress.push(p) },
    )) as { structuredContent: Record<string, unknown>; content: Array<{ text: string }> };
    const r1 = res({ structured: first.structuredContent });
    expect(r1.propagated).toBe(false);
    expect(typeof r1.resume).toBe('string');
    expect(first.content[0]?.text).toContain(`resume: ${r1.resume}`);
    expect(progress.length).toBeGreaterThan(0);
    let handle = r1.resume as string;
    let last: Res | undefined;
    for (let i = 0; i < 40 && handle; i++) {
      const r = await b.call('check_propagation', { zone: 'example.com', resume: handle });
      expect(r.isError, r.text).toBeFalsy();
      last = res(r);
      handle = last.resume as string;
      if (last.propagated) break;
    }
    expect(last?.propagated).toBe(true);
    expect(last?.resume).toBeUndefined();
    expect(last?.result.expected).toEqual(['192.0.2.91']);
  }, 60_000);

  it('a resumed wait keeps the expectations it began with, not what the API holds now', async () => {
    await a.call('create_record', { zone: 'example.com', record_type: 'A', name: 'resume2', value: '192.0.2.92', ttl: 300 });
    const first = res(await a.call('check_propagation', { zone: 'example.com', name: 'resume2', record_type: 'A', expected: ['198.51.100.200'], wait_seconds: 60 }));
    expect(first.propagated).toBe(false);
    const again = res(await b.call('check_propagation', { zone: 'example.com', resume: first.resume }));
    expect(again.result.expected).toEqual(['198.51.100.200']);
    expect(again.propagated).toBe(false);
  }, 30_000);

  it('refuses a tampered handle, one signed by a server with another key, and extra arguments', async () => {
    const first = res(await a.call('check_propagation', { zone: 'example.com', name: 'nowhere', record_type: 'A', expected: ['192.0.2.1'], wait_seconds: 60 }));
    const handle = first.resume as string;
    const [body, sig] = handle.split('.') as [string, string];
    const tampered = `${body.slice(0, -2)}${body.endsWith('AA') ? 'BB' : 'AA'}.${sig}`;
    for (const [h, r] of [[a, tampered], [other, handle]] as const) {
      const refused = await h.call('check_propagation', { zone: 'example.com', resume: r });
      expect(refused.isError).toBe(true);
      expect(refused.text).toMatch(/resume handle was refused/);
    }
    const mixed = await a.call('check_propagation', { zone: 'example.com', resume: handle, name: 'www', record_type: 'A' });
    expect(mixed.isError).toBe(true);
    expect(mixed.text).toMatch(/pass only zone and resume/);
  }, 30_000);
});

describe('a client that gives up sooner than the wait (issue 22.11)', () => {
  it('the tool says to pass a wait_seconds below the client time-out; the SDK page names the setting and the progress callback', async () => {
    const tool = (await a.client.listTools()).tools.find((t) => t.name === 'check_propagation');
    expect(tool?.description).toMatch(/If your client gives up on a call sooner, pass a wait_seconds below its time-out and call again\./);
    const page = readFileSync('docs/sdk-apps.md', 'utf8');
    expect(page).toMatch(/VPSORG_MAX_INLINE_WAIT_S/);
    expect(page).toMatch(/progress_callback=/);
    expect(page).toMatch(/resetTimeoutOnProgress/);
    expect(readFileSync('README.md', 'utf8')).toContain('(docs/sdk-apps.md)');
  });
});

describe('a client that declares URL elicitation but never opens the page (issue 22.12)', () => {
  it('the SDK page, linked from the README, tells a callback author to open params.url, and names form-first', () => {
    const page = readFileSync('docs/sdk-apps.md', 'utf8');
    expect(page).toMatch(/callback receives `mode: "url"` and\s+`params.url`\. \*\*Open `params.url` in the person's browser\*\*/);
    expect(page).toMatch(/awaiting_approval/);
    expect(page).toMatch(/VPSORG_CONFIRM_MODE=form-first/);
  });
});
