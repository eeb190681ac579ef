/**
 * Review finding (gatefix 2): the form and the MCP App plan view show only the first changes of a
 * held call, and the approval view ordered them by call-out alone (NS, MX, apex A/AAAA/CNAME), the
 * form's names line alphabetically. So 30 harmless TXT additions pushed a repointed `www CNAME` and
 * a weakened `_dmarc` (what got the call held) out of sight: "... and 7 more", "a18 and more".
 * Now what makes the call held comes first in the view, and every bounded renderer inherits it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { MAX_CHANGE_LINES } from '../../src/safety/change-lines.js';
import { startHarness, type CallResult } from '../helpers/harness.js';

const Z = 'example.com';
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'empty' });
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => {
  emu.store.reset();
  emu.store.addZone(Z, [
    { record_type: 'CNAME', name: 'www', value: 'site.example.net.' },
    { record_type: 'TXT', name: '_dmarc', value: 'v=DMARC1; p=reject' },
    { record_type: 'A', name: '@', value: '192.0.2.1' },
  ]);
  emu.requests.length = 0;
});

/** The padding: 30 TXT additions (long values, so that the plan view's bounded list is cut too), then the two changes that matter. */
const padded = (value: (i: number) => string) => ({
  zone: Z,
  mode: 'sync',
  records: [
    ...Array.from({ length: 30 }, (_, i) => ({ name: `a${String(i).padStart(2, '0')}`, record_type: 'TXT', value: value(i) })),
    { name: '@', record_type: 'A', value: '192.0.2.1' },
    { name: 'www', record_type: 'CNAME', value: 'login.attacker.example.' },
    { name: '_dmarc', record_type: 'TXT', value: 'v=DMARC1; p=none' },
  ],
});

const HELD = ['CHANGE www CNAME: site.example.net. -> login.attacker.example.', 'CHANGE _dmarc TXT: v=DMARC1; p=reject -> v=DMARC1; p=none'];

describe('a held call padded with harmless additions', () => {
  it('the form lists the changes that got it held first, and names them first', async () => {
    const asked: string[] = [];
    const h = await startHarness({ emu, elicit: async (p) => (asked.push(p.message), { action: 'decline' }) });
    try {
      const r = await h.call('apply_zone', padded((i) => `harmless ${i}`));
      expect(r.structured?.['confirmation'], r.text).toBe('declined');
    } finally {
      await h.close();
    }
    const form = asked[0] as string;
    const lines = form.split('\n').filter((l) => /^ {2}(ADD|CHANGE|DELETE) /.test(l)).map((l) => l.trim());
    expect(lines).toHaveLength(MAX_CHANGE_LINES);
    expect(lines.slice(0, 2).sort()).toEqual([...HELD].sort());
    expect(form).toContain('... and 7 more changes not shown here');
    // The names line: the held changes' names first, not cut off after a00..a18.
    const names = /at: (.*)\.$/m.exec(form)?.[1] ?? '';
    expect(names.split(', ').slice(0, 2).sort()).toEqual(['_dmarc', 'www']);
    expect(emu.requests.filter((q) => q.method !== 'GET')).toHaveLength(0);
  });

  it('the MCP App plan view\'s data, cut to its budget, still starts with them', async () => {
    const h = await startHarness({ emu, apps: true });
    let r: CallResult;
    try {
      r = await h.call('apply_zone', padded((i) => `harmless ${i} ${'x'.repeat(2000)}`));
    } finally {
      await h.close();
    }
    expect(r.structured?.['confirmation'], r.text).toBe('awaiting_approval');
    type View = { total: number; changes: Array<{ action: string; name: string; type: string }> };
    const view = ((r.raw as { _meta?: Record<string, { view: View }> })._meta ?? {})['vpsorg-dns-mcp/approval']?.view as View;
    expect(view.total).toBe(32);
    // Bounded: the 30 long additions do not all fit, so the order decides what the person sees.
    expect(view.changes.length).toBeLessThan(32);
    expect(view.changes.slice(0, 2).map((c) => `${c.action} ${c.name} ${c.type}`).sort()).toEqual(['update _dmarc TXT', 'update www CNAME']);
  });
});
