/** Runs the built binary as a script would: its exit code, stdout and stderr. */
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, linkSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const BIN = 'dist/index.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `env` replaces the environment (PATH is kept), so no setting leaks in from the test runner. */
export function cli(args: string[], env: Record<string, string> = {}, opts: { node?: string; cwd?: string; bin?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const argv = opts.bin ? args : [BIN, ...args];
    const file = opts.bin ?? opts.node ?? process.execPath;
    execFile(file, argv, { env: { PATH: process.env['PATH'] ?? '', ...env }, cwd: opts.cwd, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export const json = (r: Run) => JSON.parse(r.stdout) as Record<string, unknown>;

/** Whether a user other than the owner (o+x on every folder above it, and on the file) can start `path`. */
function othersCanRun(path: string): boolean {
  for (let p = path; ; p = dirname(p)) {
    if ((statSync(p).mode & 0o001) === 0) return false;
    if (p === dirname(p)) return true;
  }
}

/**
 * This Node, as a path another user (a test run as root that starts the server as nobody) can
 * start: the test matrix's Node 22/24 lives in root's home cache (mode 700), out of nobody's
 * reach. Then a hard link to it (a copy across file systems) in `dir`, which must be reachable.
 */
export function nodeForOtherUsers(dir: string): string {
  const node = realpathSync(process.execPath);
  if (othersCanRun(node)) return node;
  const there = join(dir, 'node');
  try {
    linkSync(node, there);
  } catch {
    copyFileSync(node, there);
    chmodSync(there, 0o755);
  }
  return there;
}
