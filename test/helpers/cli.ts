/** Runs the built binary as a script would: its exit code, stdout and stderr. */
import { execFile } from 'node:child_process';

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
