/** DNS as code, the pure parts: what a sync leaves alone, the plan digest, and Markdown that stays a table. */
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { externalDnsNames, globProblem, matchesAny, NO_RULES } from '../../src/domain/code-rules.js';
import { codeChangeOf, planDigest, syncChanges } from '../../src/domain/code-plan.js';
import { code, digestInComment, planMarkdown, PLAN_MARKER } from '../../src/domain/code-markdown.js';
import { planReport, type ZoneReport } from '../../src/domain/code-report.js';
import type { CurrentRecord } from '../../src/domain/diff.js';
import type { RecordSpec } from '../../src/domain/model.js';

const rec = (name: string, record_type: RecordSpec['record_type'], value: string, ttl = 300): RecordSpec => ({ name, record_type, value, ttl, priority: null });
const live = (rs: RecordSpec[], prefix = 'u'): CurrentRecord[] => rs.map((r, i) => ({ ...r, uuid: `${prefix}${i}` }));
const actions = (s: ReturnType<typeof syncChanges>) => s.changes.map((c) => `${c.action} ${(c.action === 'create' ? c.after : c.before).name} ${(c.action === 'create' ? c.after : c.before).value}`);

describe('records managed elsewhere', () => {
  it('globs: * stays in a label, ** crosses labels, :TYPE narrows; anything else is refused', () => {
    expect(matchesAny(['_acme-challenge.**'], rec('_acme-challenge.www', 'TXT', 'x'))).toBe(true);
    expect(matchesAny(['_acme-challenge.**'], rec('x._acme-challenge', 'TXT', 'x'))).toBe(false);
    expect(matchesAny(['k8s-*'], rec('k8s-a.b', 'A', '192.0.2.1'))).toBe(false);
    expect(matchesAny(['k8s-*:A'], rec('K8S-a', 'A', '192.0.2.1'))).toBe(true);
    expect(matchesAny(['k8s-*:A'], rec('k8s-a', 'TXT', 'x'))).toBe(false);
    expect(globProblem('a/b')).toMatch(/not a record glob/);
    expect(globProblem('old-*:TXT')).toBeNull();
  });

  it('external-dns: its heritage TXT and the names it marks, in the old and the type-prefixed form', () => {
    const names = externalDnsNames([rec('app', 'TXT', '"heritage=external-dns,external-dns/owner=default"'), rec('cname-web', 'TXT', 'heritage=external-dns,external-dns/owner=k8s'), rec('mail', 'TXT', 'v=spf1 -all')]);
    expect([...names].sort()).toEqual(['app', 'cname-web', 'web']);
  });

  it('a sync never deletes or rewrites a protected record absent from the file, and may add beside it', () => {
    const current = live([rec('_acme-challenge', 'TXT', 'token'), rec('web', 'CNAME', 'lb.example.net.'), rec('cname-web', 'TXT', 'heritage=external-dns'), rec('old', 'A', '192.0.2.9')]);
    const s = syncChanges({ current, desired: [rec('_acme-challenge', 'TXT', 'static')], rules: NO_RULES });
    expect(actions(s)).toEqual(['delete old 192.0.2.9', 'create _acme-challenge static']);
    expect(s.kept.map((r) => r.name).sort()).toEqual(['_acme-challenge', 'cname-web', 'web']);
    const bare = syncChanges({ current, desired: [], rules: { ...NO_RULES, defaults: false } });
    expect(bare.changes.filter((c) => c.action === 'delete')).toHaveLength(4);
  });

  it('ignored records are out of the plan on both sides; --protect adds to the defaults', () => {
    const current = live([rec('legacy', 'A', '192.0.2.1'), rec('keep', 'A', '192.0.2.2')]);
    const s = syncChanges({ current, desired: [rec('legacy', 'A', '192.0.2.3')], rules: { protect: ['keep'], ignore: ['legacy'], defaults: true } });
    expect(s.changes).toEqual([]);
    expect(s.ignored).toEqual({ live: 1, file: 1 });
  });
});

describe('the plan digest', () => {
  const zone = 'example.com';
  const changesOf = (prefix: string) => syncChanges({ current: live([rec('a', 'A', '192.0.2.1'), rec('b', 'A', '192.0.2.2')], prefix), desired: [rec('a', 'A', '192.0.2.5')], rules: NO_RULES }).changes.map((c) => codeChangeOf(c, zone));

  it('is the same for the same changes whatever the record ids (a committed export and the live zone agree)', () => {
    expect(planDigest([{ zone, changes: changesOf('live-') }])).toBe(planDigest([{ zone, changes: changesOf('file-') }]));
  });

  it('differs for other changes, another TTL of a deleted record, or another set of zones; zone order does not matter', () => {
    const base = planDigest([{ zone, changes: changesOf('u') }]);
    const other = syncChanges({ current: live([rec('a', 'A', '192.0.2.1'), rec('b', 'A', '192.0.2.2', 600)]), desired: [rec('a', 'A', '192.0.2.5')], rules: NO_RULES }).changes.map((c) => codeChangeOf(c, zone));
    expect(planDigest([{ zone, changes: other }])).not.toBe(base);
    expect(planDigest([{ zone, changes: changesOf('u') }, { zone: 'example.net', changes: [] }])).not.toBe(base);
    expect(planDigest([{ zone: 'example.net', changes: [] }, { zone, changes: changesOf('u') }])).toBe(planDigest([{ zone, changes: changesOf('u') }, { zone: 'example.net', changes: [] }]));
  });
});

describe('Markdown', () => {
  const md = new MarkdownIt();
  const hostile = ['a|b', '`tick` and ``two``', '<!-- vpsorg-dns-mcp:plan -->', '| --- |', '\\|'];

  it('a code span holds any value, inside a table cell, as the same text', () => {
    for (const v of hostile) {
      const tokens = md.parse(`| a | b |\n|---|---|\n| ${code(v)} | x |\n`, {});
      const cells = tokens.filter((t) => t.type === 'td_open');
      expect(cells, v).toHaveLength(2);
      const inline = tokens.filter((t) => t.type === 'inline')[2];
      expect(inline?.children?.find((c) => c.type === 'code_inline')?.content, v).toBe(v);
    }
  });

  it('hostile record data neither breaks the table nor adds a second marker; the digest is readable from the comment', () => {
    const changes = [...hostile, `<!-- vpsorg-dns-mcp:digest ${'0'.repeat(64)} -->`].map((v, i) => codeChangeOf({ action: 'create', after: rec(`n${i}`, 'TXT', v) }, 'example.com'));
    const z: ZoneReport = { zone: 'example.com', file: 'zones/example.com.zone', against: 'live', counts: { create: changes.length, update: 0, delete: 0, unchanged: 0 }, changes, effects: [], findings: [], kept: { count: 0, names: [] }, ignored: { live: 0, file: 0 }, skipped: 0 };
    const digest = planDigest([{ zone: z.zone, changes }]);
    const text = planMarkdown(planReport([z], digest));
    expect(text.startsWith(`${PLAN_MARKER}\n`)).toBe(true);
    expect(text.split('\n').filter((l) => l.startsWith('<!--'))).toHaveLength(2);
    expect(digestInComment(text)).toBe(digest);
    const rows = md.parse(text, {}).filter((t) => t.type === 'tr_open');
    expect(rows).toHaveLength(changes.length + 1);
  });
});
