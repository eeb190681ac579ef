/**
 * Tests leave no temp folders behind (test/setup/temp-root.ts and temp.ts). A run of the project's
 * own set-up over two files, one of them failing, keeps all they make (mkdtemp folders, HOME) below
 * one folder of its own, and removes it by the end; it also removes the folder a killed run left,
 * never that of a run still going.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expect, it } from 'vitest';

it('a run removes every temp folder its files made, passed or failed, and those of killed runs only', async () => {
  const watch = mkdtempSync(join(tmpdir(), 'watch-'));
  const log = join(mkdtempSync(join(tmpdir(), 'log-')), 'dirs.jsonl');
  // Above the largest pid_max (2^22): no such process, as after a killed run. This worker is alive.
  mkdirSync(join(watch, 'vpsorg-test-4194305-killed'));
  const live = `vpsorg-test-${process.pid}-running`;
  mkdirSync(join(watch, live));
  // The nested run must not take this worker's Vitest variables for its own.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')));
  const run = await new Promise<{ code: number | null; out: string }>((done) => {
    const child = execFile(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', 'test/fixtures/temp-dirs/vitest.config.ts'], { env: { ...env, TMPDIR: watch, TEMP_DIRS_LOG: log }, timeout: 60_000 }, (_err, stdout, stderr) =>
      done({ code: child.exitCode, out: stdout + stderr }),
    );
  });
  expect(run.code, run.out).toBe(1);
  expect(run.out).toContain('deliberately');
  const made = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { file: string; tmp: string; home: string; made: string });
  expect(made.map((m) => m.file).sort()).toEqual(['fails', 'passes']);
  for (const m of made) {
    expect(m.tmp, m.file).toMatch(new RegExp(`^${watch}/vpsorg-test-\\d+-[^/]+/f-[^/]+$`));
    expect(m.home.startsWith(`${m.tmp}/`) && m.made.startsWith(`${m.tmp}/`), JSON.stringify(m)).toBe(true);
    expect(existsSync(m.tmp), m.tmp).toBe(false);
  }
  expect(new Set(made.map((m) => basename(join(m.tmp, '..')))).size).toBe(1);
  expect(readdirSync(watch)).toEqual([live]);
});
