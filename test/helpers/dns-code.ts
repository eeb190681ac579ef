/**
 * A DNS-as-code repository for the tests: a temporary git repository, and the built CLI run in it
 * against the sandbox with a state file, so each command is its own process as in CI.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Run } from './cli.js';

const BIN = resolve('dist/index.js');

export interface Repo {
  dir: string;
  /** The CLI in the repository; `sandbox: false` runs it without the sandbox flags. */
  run(args: string[], opts?: { sandbox?: boolean; env?: Record<string, string> }): Promise<Run>;
  git(...args: string[]): string;
}

export function makeRepo(): Repo {
  const dir = mkdtempSync(join(tmpdir(), 'vpsorg-dns-code-'));
  const state = join(dir, '.sandbox-state.json');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd: dir, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  return {
    dir,
    git,
    run(args, opts = {}) {
      const argv = [BIN, ...args, ...(opts.sandbox === false ? [] : ['--sandbox', '--state', state, '--publish-delay-ms', '0'])];
      return new Promise((done) => {
        execFile(process.execPath, argv, { cwd: dir, env: { PATH: process.env['PATH'] ?? '', ...opts.env }, timeout: 60_000 }, (err, stdout, stderr) => {
          done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
        });
      });
    },
  };
}

/** `ldns-compare-zones -a FROM TO` (Debian ldnsutils) as signed records: `+ owner TYPE rdata`, `- ...`. */
export function ldnsDiff(from: string, to: string): string[] {
  let out: string;
  try {
    out = execFileSync('ldns-compare-zones', ['-a', from, to], { encoding: 'utf8' });
  } catch (err) {
    out = String((err as { stdout?: string }).stdout ?? '');
  }
  return out
    .split('\n')
    .filter((l) => /^(\+\+|--|~\+|~-)/.test(l))
    .map((l) => {
      const [owner, , , type, ...rdata] = l.slice(2).split('\t');
      return `${l[1] === '+' ? '+' : '-'} ${owner} ${type} ${rdata.join('\t')}`;
    })
    .sort();
}

export interface JsonChange {
  action: string;
  fqdn: string;
  type: string;
  old?: string;
  new?: string;
}

/** A plan's changes as the same signed records: an update removes its old data and adds its new. */
export function signedRecords(changes: JsonChange[]): string[] {
  return changes
    .flatMap((c) => [...(c.old !== undefined && c.old !== c.new ? [`- ${c.fqdn} ${c.type} ${c.old}`] : []), ...(c.new !== undefined && c.old !== c.new ? [`+ ${c.fqdn} ${c.type} ${c.new}`] : [])])
    .sort();
}
