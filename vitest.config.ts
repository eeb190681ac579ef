import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The suites graded against tools from outside this project (ACME clients and pebble, the MCP
 * Inspector, zonemaster-cli, the official conformance suite, ldns-compare-zones, markdown-it, the CI templates):
 * the slowest third of the suite. `npm test` (project `suite`) leaves them out so it stays within
 * its time budget; `npm run test:external` (project `external`) runs them, and CI runs both
 * (.ci/run). A plain `vitest run`, or one given file paths, runs whichever files match.
 */
export const EXTERNAL = [
  'test/e2e/acme-certs.test.ts',
  'test/e2e/acme-hooks.test.ts',
  'test/e2e/agent-jobs.test.ts',
  'test/e2e/sandbox-inspector.test.ts',
  'test/e2e/http-conformance.test.ts',
  'test/e2e/dns-code*.test.ts',
  'test/browser/dns-code-approval.test.ts',
  'test/e2e/audit-zonemaster.test.ts',
];

// What both projects share (a project given its own `include` does not extend the root's: Vitest
// would add the lists up).
export const shared = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
  pool: 'forks' as const,
  // Temp folders: one per run, one per file below it, each removed when it ends (test/setup/temp*.ts).
  globalSetup: ['test/setup/temp-root.ts'],
  setupFiles: ['test/setup/fast-check.ts', 'test/setup/temp.ts'],
};

export default defineConfig({
  test: {
    // Vitest's default is one worker per core less one: a single worker on a 2-core machine, which
    // leaves a core idle while a file waits on BIND, a browser or a time-out. Two files at a time.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    reporters: ['default'],
    projects: [
      { test: { ...shared, name: 'suite', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...EXTERNAL] } },
      { test: { ...shared, name: 'external', include: EXTERNAL } },
    ],
  },
});
