/**
 * A zone repository as a CI job sees it: a work tree with an `origin` (a local bare repository),
 * `main` holding the export of the emulator's zones, and a branch `pr` that adds one record.
 * `bin` is a folder for stand-ins of `gh`/`curl`, put first on the PATH of the jobs.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from '../../src/emulator/index.js';
import { cli } from './cli.js';

export interface CiRepo {
  root: string;
  work: string;
  bin: string;
  git(...args: string[]): string;
  /** The environment of a job: PATH with `bin` first, HOME in the scratch folder. */
  env(extra?: Record<string, string>): Record<string, string>;
}

export async function makeCiRepo(emu: Emulator, token: string, fakes: Record<string, string>): Promise<CiRepo> {
  const root = mkdtempSync(join(tmpdir(), 'vpsorg-ci-'));
  const work = join(root, 'work');
  const bin = join(root, 'bin');
  mkdirSync(bin);
  for (const [name, text] of Object.entries(fakes)) {
    writeFileSync(join(bin, name), text);
    chmodSync(join(bin, name), 0o755);
  }
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: work, encoding: 'utf8' });
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', join(root, 'origin.git')]);
  mkdirSync(work);
  git('init', '-q', '-b', 'main');
  git('remote', 'add', 'origin', join(root, 'origin.git'));
  const exported = await cli(['export', '--dir', join(work, 'zones')], { VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: token });
  if (exported.code !== 0) throw new Error(`export failed: ${exported.stderr}`);
  git('add', 'zones');
  git('commit', '-q', '-m', 'zones');
  git('push', '-q', 'origin', 'main');
  git('checkout', '-q', '-b', 'pr');
  const file = join(work, 'zones', 'example.com.zone');
  writeFileSync(file, `${readFileSync(file, 'utf8')}www2 300 IN A 192.0.2.10\n`);
  git('commit', '-q', '-am', 'www2');
  return { root, work, bin, git, env: (extra = {}) => ({ PATH: `${bin}:${process.env['PATH'] ?? ''}`, HOME: root, ...extra }) };
}
