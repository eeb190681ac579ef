/**
 * A vitest reporter for `npm run test:reliability`: clears the figures before the run and, when
 * it ends, prints the summary block and fails the run if a "must be zero" figure is not zero or
 * a full run fell short of the counts. Vitest's own unhandled errors count as crashes.
 */
import { rmSync } from 'node:fs';
import type { Reporter } from 'vitest/node';
import { SUMMARY_DIR, readSummaries, render, total, verdict } from './support/summary.js';

export default class ReliabilitySummary implements Reporter {
  onInit(): void {
    rmSync(SUMMARY_DIR, { recursive: true, force: true });
  }

  onTestRunEnd(_modules: unknown, unhandledErrors: ReadonlyArray<unknown>): void {
    const files = readSummaries();
    const t = total(files);
    t.crashes += unhandledErrors.length;
    const problems = verdict(t, files.length > 0 && files.every((f) => f.full));
    if (files.length === 0) problems.push('no reliability figures were written (did the tests run?)');
    process.stdout.write(render(files, t, problems));
    if (problems.length) process.exitCode = 1;
  }
}
