/**
 * The GitLab CI template (ci/gitlab-dns.yml): each job's script run as written, as GitLab's
 * runner runs a bash job (the lines in one shell, -eo pipefail), against the emulator, with a
 * stand-in `curl` that answers as GitLab's notes and commits API would. No GitLab involved.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../src/api/types.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { EXIT } from '../../src/cli/report.js';
import { makeCiRepo, type CiRepo } from '../helpers/ci-repo.js';
import { cli } from '../helpers/cli.js';

const TOKEN = 'vps_gitlab_0123456789abcdef';
let emu: Emulator;
let repo: CiRepo;

/** GitLab's API as far as the template uses it: notes of MR !3 (kept in NOTES), and the MR of a commit. */
const FAKE_CURL = `#!/usr/bin/env node
const fs = require('node:fs');
const args = process.argv.slice(2);
const url = args.at(-1);
const method = args.includes('-X') ? args[args.indexOf('-X') + 1] : 'GET';
fs.appendFileSync(process.env.CURL_LOG, method + ' ' + url + '\\n');
const notes = fs.existsSync(process.env.NOTES) ? JSON.parse(fs.readFileSync(process.env.NOTES, 'utf8')) : [];
if (/\\/repository\\/commits\\/[0-9a-f]{40}\\/merge_requests$/.test(url)) console.log(JSON.stringify(process.env.MR ? [{ iid: Number(process.env.MR) }] : []));
else if (method === 'GET') console.log(JSON.stringify(notes));
else {
  const body = JSON.parse(args[args.indexOf('--data') + 1]).body;
  const id = method === 'PUT' ? Number(url.split('/').at(-1)) : 100 + notes.length;
  fs.writeFileSync(process.env.NOTES, JSON.stringify([...notes.filter((n) => n.id !== id), { id, body }]));
  console.log(JSON.stringify({ id }));
}
`;

interface Job {
  extends?: string;
  variables?: Record<string, string>;
  script: string[];
  allow_failure?: { exit_codes: number[] };
}

function job(name: string, vars: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  const jobs = parse(readFileSync(resolve('ci/gitlab-dns.yml'), 'utf8')) as Record<string, Job>;
  const j = jobs[name] as Job;
  const base = j.extends ? jobs[j.extends] : undefined;
  const script = join(repo.root, `${name}.sh`);
  writeFileSync(script, j.script.join('\n'));
  const env = repo.env({
    ...base?.variables,
    ...j.variables,
    VPSORG_DNS: `node ${resolve('dist/index.js')}`,
    VPSORG_API_URL: emu.url,
    VPSORG_API_TOKEN: TOKEN,
    DNS_NOTE_TOKEN: 'glpat-test',
    CI_API_V4_URL: 'https://gitlab.example/api/v4',
    CI_PROJECT_ID: '42',
    CI_MERGE_REQUEST_IID: '3',
    CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main',
    CI_COMMIT_SHA: repo.git('rev-parse', 'HEAD').trim(),
    CURL_LOG: join(repo.root, 'curl.log'),
    NOTES: join(repo.root, 'notes.json'),
    ...vars,
  });
  return new Promise((done) => {
    execFile('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: repo.work, env, timeout: 120_000 }, (err, stdout, stderr) => done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, out: stdout + stderr }));
  });
}
const notes = () => JSON.parse(readFileSync(join(repo.root, 'notes.json'), 'utf8')) as Array<{ id: number; body: string }>;
const curlCalls = () => readFileSync(join(repo.root, 'curl.log'), 'utf8').trim().split('\n');

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', tokens: [{ token: TOKEN, permissions: [...PERMISSIONS] }] });
  repo = await makeCiRepo(emu, TOKEN, { curl: FAKE_CURL });
});
afterAll(async () => {
  await emu.close();
});

describe.sequential('ci/gitlab-dns.yml, job by job', { timeout: 120_000 }, () => {
  it('dns-plan: one merge request note, added then updated in place; a fork pipeline (no token) plans against the target branch', async () => {
    const first = await job('dns-plan');
    expect(first.code, first.out).toBe(0);
    expect(notes()).toHaveLength(1);
    expect(notes()[0]?.body).toMatch(/^<!-- vpsorg-dns-mcp:plan -->\n<!-- vpsorg-dns-mcp:digest [0-9a-f]{64} -->\n### DNS plan: 1 change\n/);
    const fork = await job('dns-plan', { VPSORG_API_TOKEN: '', VPSORG_API_URL: 'http://127.0.0.1:9' });
    expect(fork.code, fork.out).toBe(0);
    expect(notes()).toHaveLength(1);
    expect(curlCalls().at(-1)).toBe('PUT https://gitlab.example/api/v4/projects/42/merge_requests/3/notes/100');
    expect(readFileSync(join(repo.work, 'dns-plan.md'), 'utf8')).toBe(notes()[0]?.body);
  });

  it('dns-apply: the digest of the merge request\'s note, applied once; without a merge request nothing is applied', async () => {
    repo.git('checkout', '-q', 'main');
    repo.git('merge', '-q', '--ff-only', 'pr');
    const none = await job('dns-apply', { MR: '' });
    expect(none.code).toBe(2);
    expect(none.out).toMatch(/No merge request made [0-9a-f]{40}/);
    expect(emu.store.findZone('example.com')?.records?.some((r) => r.name === 'www2')).toBe(false);
    const applied = await job('dns-apply', { MR: '3' });
    expect(applied.code, applied.out).toBe(0);
    expect(emu.store.findZone('example.com')?.records?.some((r) => r.name === 'www2' && r.value === '192.0.2.10')).toBe(true);
    expect((await job('dns-apply', { MR: '3' })).code).toBe(EXIT.planChanged);
  });

  it('dns-drift: 0 while the zones match their files; 8, which the job allows as a warning, after a change elsewhere', async () => {
    const jobs = parse(readFileSync(resolve('ci/gitlab-dns.yml'), 'utf8')) as Record<string, Job>;
    expect(jobs['dns-drift']?.allow_failure?.exit_codes).toEqual([EXIT.drift]);
    expect((await job('dns-drift')).code).toBe(0);
    const changed = await cli(['call', 'update_ttl', '--zone', 'example.com', '--name', 'www2', '--record-type', 'A', '--ttl', '900'], { VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: TOKEN });
    expect(changed.code, changed.stderr).toBe(0);
    const drift = await job('dns-drift');
    expect(drift.code).toBe(EXIT.drift);
    expect(drift.out).toMatch(/~ www2 900 -> 300 IN A 192\.0\.2\.10/);
  });
});
