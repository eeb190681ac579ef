/**
 * The live SPF evaluation (issue 25.2) against Debian's pyspf: for every case of the fixture
 * internet (test/helpers/mail-fixtures.ts), served by the sandbox's nameservers under its
 * stand-in root, our result and lookup count equal pyspf's for the same sender. pyspf asks the
 * sandbox's nameserver directly (test/refs/pyspf-check.py); we walk from the root.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { SpfFetcher } from '../../src/audit/live/mail/spf-fetch.js';
import { evaluateSpf, type SpfEvaluation } from '../../src/audit/live/mail/spf-eval.js';
import { recordTree, type SpfTree } from '../../src/audit/live/mail/spf-tree.js';
import { CASES_ZONE, PROVIDER, SENDER_IP, SPF_CASES, casesZone, providerZone } from '../helpers/mail-fixtures.js';
import { fixtureResolver } from '../helpers/fixture-internet.js';

interface PyResult {
  domain: string;
  result: string;
  lookups: number;
  voids: number;
  explanation: string;
}

function runPython(script: string, input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/python3', [script], { stdio: ['pipe', 'pipe', 'pipe'], timeout: 60_000 });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${script} failed (run scripts/install-audit-refs.sh): ${err}`))));
    child.stdin.end(input);
  });
}

let sb: Sandbox;
const ours = new Map<string, { ev: SpfEvaluation; tree: SpfTree }>();
const theirs = new Map<string, PyResult>();

beforeAll(async () => {
  sb = await startSandbox({ publishDelayMs: [0, 0] });
  sb.emu.store.addZone(CASES_ZONE, casesZone());
  sb.emu.store.addZone(PROVIDER, providerZone());
  const resolver = fixtureResolver(sb);
  await Promise.all(
    SPF_CASES.map(async (c) => {
      const domain = `${c.name}.${CASES_ZONE}`;
      const root = await new SpfFetcher(resolver, { ip: SENDER_IP }).fetch(domain);
      ours.set(c.name, { ev: evaluateSpf(root, SENDER_IP), tree: recordTree(root) });
    }),
  );
  const ns1 = sb.nameservers[0];
  const input = JSON.stringify({ server: `${ns1?.address}:${ns1?.port}`, cases: SPF_CASES.map((c) => ({ domain: `${c.name}.${CASES_ZONE}`, ip: SENDER_IP })) });
  // Not spawnSync: the sandbox's nameservers answer from this process's event loop.
  const out = await runPython('test/refs/pyspf-check.py', input);
  for (const r of JSON.parse(out) as PyResult[]) theirs.set(r.domain.split('.')[0] as string, r);
}, 90_000);
afterAll(async () => {
  await sb?.close();
});

describe('SPF evaluation equals pyspf (result and lookup count) for every fixture case', () => {
  it('has at least 25 cases', () => {
    expect(SPF_CASES.length).toBeGreaterThanOrEqual(25);
    // The reference saw every kind of outcome, so agreeing with it means something.
    expect(new Set([...theirs.values()].map((r) => r.result))).toEqual(new Set(['pass', 'fail', 'softfail', 'neutral', 'none', 'permerror']));
    expect(Math.max(...[...theirs.values()].map((r) => r.lookups))).toBe(11);
  });
  it.each(SPF_CASES.map((c) => [c.name, c.about]))('%s (%s)', (name) => {
    const py = theirs.get(name);
    const our = ours.get(name);
    expect(py, 'pyspf result').toBeDefined();
    expect({ result: our?.ev.result, lookups: our?.ev.lookups }, `ours: ${our?.ev.reason}; pyspf: ${py?.explanation}`).toEqual({ result: py?.result, lookups: py?.lookups });
  });
});

describe('the lookup tree counts what the evaluation stops short of', () => {
  const tree = (name: string) => ours.get(name)?.tree as SpfTree;
  it('12 lookups, 11 of them through one include', () => {
    expect(tree('l12').lookups).toBe(12);
    expect(tree('l12').terms.map((t) => [t.term, t.lookups])).toEqual([
      [`include:ten.${PROVIDER}`, 11],
      [`a:h11.${PROVIDER}`, 1],
      ['-all', 0],
    ]);
    expect(ours.get('l12')?.ev).toMatchObject({ result: 'permerror', lookups: 11 });
  });
  it('9, 10 and 11 lookups', () => {
    expect(['l9', 'l10', 'l11'].map((n) => tree(n).lookups)).toEqual([9, 10, 11]);
  });
  it('void lookups, inside an include too', () => {
    expect(tree('void3').voids).toBe(3);
    const inc = tree('void-in-include').terms[1];
    expect(inc).toMatchObject({ lookups: 3, voids: 2, status: 'ok' });
    expect(inc?.record?.terms.map((t) => t.status)).toEqual(['void', 'void', 'ok']);
  });
  it('a loop is cut and named', () => {
    const inner = tree('loop').terms[0]?.record?.terms[0];
    expect(inner).toMatchObject({ status: 'loop' });
    expect(inner?.detail).toContain(`loop.${CASES_ZONE} -> loop-b.${PROVIDER} -> loop.${CASES_ZONE}`);
  });
  it('redirect next to all is ignored, a macro term counted, terms after all never evaluated', () => {
    expect(tree('redirect-all').terms[2]).toMatchObject({ status: 'ignored', lookups: 1, record: null });
    // %{l} needs the sender's local part, which this evaluation is not given: counted, not looked up.
    expect(tree('macro-a').terms[0]).toMatchObject({ status: 'macro', lookups: 1 });
    // %{i} is the sender's address, which it is given (RFC 7208 7.3): expanded and looked up (nothing there).
    expect(tree('macro-exists').terms[0]).toMatchObject({ status: 'void', lookups: 1, detail: `void lookup: ${SENDER_IP}._spf.${PROVIDER} A` });
    expect(tree('after-all').terms[1]).toMatchObject({ status: 'after_all', lookups: 0 });
    expect(tree('mx11').terms[0]).toMatchObject({ status: 'too_many_mx' });
  });
  it('a record over 255 bytes is read whole', () => {
    expect(tree('long').spf?.length).toBeGreaterThan(255);
    expect(tree('long').terms.at(-1)?.term).toBe('-all');
  });
});
