/**
 * The plan as a pull-request comment, from the built CLI with no account (`--against` a committed
 * export): a golden file for a plan with a create, an update, a delete and an NS change, parsed
 * as GitHub-flavoured Markdown by markdown-it; the JSON and text say the same plan.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/report.js';
import { digestInComment, PLAN_MARKER } from '../../src/domain/code-markdown.js';
import { cli } from '../helpers/cli.js';

const DIR = 'test/fixtures/dns-code';
const GOLDEN = `${DIR}/plan.md`;
const args = (format: string) => ['plan', '--zone-file', `${DIR}/example.com.zone`, '--against', `${DIR}/live.zone`, '--format', format];

describe('plan --format markdown', () => {
  it('is the golden comment: a marker first, a GFM table of the changes, the gate badges, the audit finding, the summary', async () => {
    const r = await cli(args('markdown'));
    expect(r.code, r.stderr).toBe(EXIT.ok);
    // The budget finding names when its 10-minute window began: the one part that differs per run.
    const stable = (s: string) => s.replace(/since \d{4}-\d\d-\d\dT[\d:.]+Z/g, 'since <window start>');
    if (process.env['VPSORG_UPDATE_GOLDEN']) writeFileSync(GOLDEN, stable(r.stdout));
    expect(stable(r.stdout)).toBe(readFileSync(GOLDEN, 'utf8'));
    expect(r.stdout.startsWith(`${PLAN_MARKER}\n`)).toBe(true);

    const tokens = new MarkdownIt().parse(r.stdout, {});
    const table: string[][] = [];
    for (const [i, t] of tokens.entries()) {
      if (t.type === 'tr_open') table.push([]);
      if (t.type === 'th_open' || t.type === 'td_open') table.at(-1)?.push(tokens[i + 1]?.children?.map((c) => c.content).join('') ?? '');
    }
    const [head, ...body] = table;
    expect(head).toEqual(['Operation', 'Name', 'Type', 'TTL', 'Old → New']);
    const rows = body;
    expect(rows.map((x) => x.slice(0, 3).join(' '))).toEqual(['delete old CNAME', 'create api A', 'create docs CNAME', 'update @ A', 'update @ NS']);
    expect(rows.find((x) => x[3] === '3600 → 300')?.[4]).toBe('192.0.2.1 → 192.0.2.80');

    const json = await cli(args('json'));
    const plan = JSON.parse(json.stdout) as { digest: string; effects: string[]; zones: Array<{ findings: Array<{ code: string }>; kept: { names: string[] } }> };
    expect(digestInComment(r.stdout)).toBe(plan.digest);
    expect(plan.effects).toEqual(['budget', 'delete', 'ns', 'value_removed']);
    expect(plan.zones[0]?.findings.map((f) => f.code)).toEqual(['dangling_cname']);
    expect(plan.zones[0]?.kept.names).toEqual(['_acme-challenge']);
    const text = await cli(args('text'));
    expect(text.stdout).toContain(`Plan digest: ${plan.digest}`);
    expect(text.stdout).toMatch(/^ {2}~ @ 3600 IN NS ns2\.vps\.org\. -> ns3\.example\.net\.$/m);
  });

  it('usage errors name the flag and exit 2; a broken zone file names its line and exits 1', async () => {
    expect((await cli(['plan', '--dir', DIR, '--zone-file', 'x.zone'])).code).toBe(EXIT.usage);
    const apply = await cli(['apply', '--zone-file', `${DIR}/example.com.zone`, '--checksum', 'abc']);
    expect(apply.code).toBe(EXIT.usage);
    expect(apply.stderr).toMatch(/--checksum takes the 64 hex digits/);
    const confirm = await cli(['apply', '--zone-file', `${DIR}/example.com.zone`, '--checksum', '0'.repeat(64), '--confirm', 'everything']);
    expect(confirm.stderr).toMatch(/--confirm takes effect codes .*not "everything"/);
    const broken = await cli(['plan', '--zone-file', `${DIR}/live.zone`, '--zone', 'example.com', '--against', 'package.json']);
    expect(broken.code).toBe(EXIT.toolError);
    expect(broken.stderr).toMatch(/package\.json line 1/);
  });
});

describe('records managed elsewhere: flags and vpsorg-dns.json beside the zones', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vpsorg-dns-rules-'));
  copyFileSync(`${DIR}/example.com.zone`, join(dir, 'example.com.zone'));
  const plan = async (...extra: string[]) => {
    const r = await cli(['plan', '--dir', dir, '--against', `${DIR}/live.zone`, '--format', 'json', ...extra]);
    return { ...r, json: r.code === 0 ? (JSON.parse(r.stdout) as { zones: Array<{ changes: Array<{ name: string; action: string }>; kept: { names: string[] }; ignored: { live: number; file: number } }> }) : undefined };
  };

  it('the config file protects and ignores; the flags add to it; "defaults": false lets a sync delete the ACME token', async () => {
    writeFileSync(join(dir, 'vpsorg-dns.json'), JSON.stringify({ protect: ['old'], ignore: ['docs:CNAME'] }));
    const ruled = (await plan()).json?.zones[0];
    expect(ruled?.changes.map((c) => `${c.action} ${c.name}`)).toEqual(['create api', 'update @', 'update @']);
    expect(ruled?.kept.names.sort()).toEqual(['_acme-challenge', 'old']);
    expect(ruled?.ignored).toEqual({ live: 0, file: 1 });
    expect((await plan('--ignore', 'api')).json?.zones[0]?.changes.map((c) => c.name)).toEqual(['@', '@']);
    writeFileSync(join(dir, 'vpsorg-dns.json'), JSON.stringify({ defaults: false }));
    expect((await plan()).json?.zones[0]?.changes.filter((c) => c.action === 'delete').map((c) => c.name)).toEqual(['_acme-challenge', 'old']);
  });

  it('a config file that is not what it should be is a usage error that says so', async () => {
    writeFileSync(join(dir, 'vpsorg-dns.json'), JSON.stringify({ protect: ['a/b'], proteck: [] }));
    const bad = await plan();
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr).toMatch(/vpsorg-dns\.json: unknown key "proteck"/);
    writeFileSync(join(dir, 'vpsorg-dns.json'), JSON.stringify({ protect: ['a/b'] }));
    expect((await plan()).stderr).toMatch(/"a\/b" is not a record glob/);
  });
});
