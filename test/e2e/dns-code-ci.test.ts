/**
 * The GitHub Action (action.yml) run step by step as a runner would, against the emulator, in a
 * temporary repository with an `origin`: the pull request gets one plan comment, updated in
 * place; a fork (no token) gets the same plan from the base branch's files; the merge applies
 * the digest read back from that comment; the schedule reports drift as exit code 8. `gh` is a
 * fake that records what it is asked and answers as GitHub's API would: no GitHub involved.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../src/api/types.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { EXIT } from '../../src/cli/report.js';
import { runAction } from '../helpers/action-runner.js';
import { cli } from '../helpers/cli.js';
import { makeCiRepo, type CiRepo } from '../helpers/ci-repo.js';

const TOKEN = 'vps_action_0123456789abcdef';
let emu: Emulator;
let repo: CiRepo;
let gh: { log: string; body: string };

const FAKE_GH = `#!/usr/bin/env bash
printf '%s\\n' "$*" >> "$GH_LOG"
for a in "$@"; do case "$a" in body=@*) cp "\${a#body=@}" "$GH_BODY" ;; esac; done
case "$*" in
  *"/pulls --jq"*) echo "$GH_PR" ;;
  *"| .id") echo "$GH_COMMENT_ID" ;;
  *"| .body") if [ -f "$GH_BODY" ]; then cat "$GH_BODY"; fi ;;
esac
`;

function action(inputs: Record<string, string>, fake: { pr?: string; commentId?: string } = {}, event: Record<string, unknown> = {}) {
  const env = repo.env({ GH_LOG: gh.log, GH_BODY: gh.body, GH_PR: fake.pr ?? '', GH_COMMENT_ID: fake.commentId ?? '', GITHUB_REPOSITORY: 'acme/dns', GITHUB_SHA: repo.git('rev-parse', 'HEAD').trim() });
  return runAction(resolve('action.yml'), { inputs: { 'api-url': emu.url, 'api-token': TOKEN, ...inputs }, github: { token: 'ghs_test', base_ref: 'main', ...event }, cwd: repo.work, env });
}
const ghCalls = () => readFileSync(gh.log, 'utf8').trim().split('\n');

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', tokens: [{ token: TOKEN, permissions: [...PERMISSIONS] }] });
  repo = await makeCiRepo(emu, TOKEN, { gh: FAKE_GH });
  gh = { log: join(repo.root, 'gh.log'), body: join(repo.root, 'gh-body.md') };
});
afterAll(async () => {
  await emu.close();
});

describe.sequential('action.yml, step by step', { timeout: 120_000 }, () => {
  let digest = '';

  it('plan on a pull request: the plan in the job summary and one comment, added, then updated in place', async () => {
    const first = await action({ command: 'plan' }, {}, { event: { pull_request: { number: 7 } } });
    expect(first.code, first.log).toBe(0);
    expect(first.ran).toEqual(['install', 'plan', 'comment']);
    digest = first.outputs['plan']?.['digest'] ?? '';
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(first.outputs['plan']?.['changes']).toBe('1');
    expect(first.summary).toContain(`<!-- vpsorg-dns-mcp:digest ${digest} -->`);
    expect(ghCalls().at(-1)).toMatch(/^api -X POST repos\/acme\/dns\/issues\/7\/comments -F body=@/);
    expect(readFileSync(gh.body, 'utf8')).toBe(first.summary);

    const again = await action({ command: 'plan' }, { commentId: '555' }, { event: { pull_request: { number: 7 } } });
    expect(again.code, again.log).toBe(0);
    expect(ghCalls().at(-1)).toMatch(/^api -X PATCH repos\/acme\/dns\/issues\/comments\/555 -F body=@/);
    expect(ghCalls().filter((l) => l.includes('-X POST'))).toHaveLength(1);
  });

  it('a fork (no token): the same plan from the base branch\'s zone files, and no comment without a pull request number', async () => {
    const fork = await action({ command: 'plan', 'api-token': '', 'api-url': 'http://127.0.0.1:9' });
    expect(fork.code, fork.log).toBe(0);
    expect(fork.ran).toEqual(['install', 'plan']);
    expect(fork.outputs['plan']?.['digest']).toBe(digest);
  });

  it('apply on merge: the digest read back from the comment, and exactly that plan applied', async () => {
    repo.git('checkout', '-q', 'main');
    repo.git('merge', '-q', '--ff-only', 'pr');
    const applied = await action({ command: 'apply' }, { pr: '7' });
    expect(applied.code, applied.log).toBe(0);
    expect(ghCalls().slice(-2)[0]).toMatch(/^api repos\/acme\/dns\/commits\/[0-9a-f]{40}\/pulls/);
    const zone = emu.store.findZone('example.com');
    expect(zone?.records?.some((r) => r.name === 'www2' && r.value === '192.0.2.10')).toBe(true);
  });

  it('apply refuses when no pull request made the commit, or its plan is stale', async () => {
    const none = await action({ command: 'apply' }, { pr: '' });
    expect(none.code).toBe(2);
    expect(none.log).toMatch(/No pull request made [0-9a-f]{40}/);
    const stale = await action({ command: 'apply' }, { pr: '7' });
    expect(stale.code).toBe(EXIT.planChanged);
  });

  it('drift on a schedule: exit 0 while the zones match, 8 after a change in the panel', async () => {
    const clean = await action({ command: 'drift' });
    expect(clean.code, clean.log).toBe(0);
    const www2 = emu.store.findZone('example.com')?.records?.find((r) => r.name === 'www2');
    const r = await cli(['call', 'update_record', '--record', www2?.uuid ?? '', '--value', '192.0.2.11'], { VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: TOKEN });
    expect(r.code, r.stderr).toBe(0);
    const drift = await action({ command: 'drift' });
    expect(drift.code).toBe(EXIT.drift);
    expect(drift.log).toMatch(/::error::The zones drifted/);
    expect(drift.summary).toMatch(/\| update \| `www2` \| A \| 300 \| `192\.0\.2\.11` → `192\.0\.2\.10` \|/);
  });
});
