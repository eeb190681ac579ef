/**
 * Vitest global set-up: one temporary folder per run (per project), `vpsorg-test-<pid>-*` in the
 * system temp directory. Each test file's temp folders, its HOME among them, go below it
 * (test/setup/temp.ts points TMPDIR there), and it is removed when the run ends, pass or fail.
 * A run that was killed cannot remove its own: the next run removes the folders of runs whose
 * process is gone (a live pid's folder is another run's, still in use).
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { alive } from '../../src/history/store/lock.js';

declare module 'vitest' {
  export interface ProvidedContext {
    tempRoot: string;
  }
}

const OWNED = /^vpsorg-test-(\d+)-/;

export function sweepDeadRuns(dir = tmpdir()): void {
  for (const name of readdirSync(dir)) {
    const pid = OWNED.exec(name)?.[1];
    if (pid && !alive(Number(pid))) rmSync(join(dir, name), { recursive: true, force: true });
  }
}

export default function setup(project: TestProject): () => void {
  sweepDeadRuns();
  const root = mkdtempSync(join(tmpdir(), `vpsorg-test-${process.pid}-`));
  // Others may pass through (not list): initdb runs as the postgres user when tests run as root.
  chmodSync(root, 0o711);
  project.provide('tempRoot', root);
  return () => rmSync(root, { recursive: true, force: true });
}
