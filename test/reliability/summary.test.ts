/** The summary's verdict: any "must be zero" figure fails any run; a full run must also reach the counts. */
import { expect, it } from 'vitest';
import { emptyTally, render, total, verdict, type FileSummary } from './support/summary.js';

const file = (name: string, over: Partial<ReturnType<typeof emptyTally>>, full = true): FileSummary => ({ name, full, tally: { ...emptyTally(), ...over }, figures: [], leaks: [] });

it('adds the files up and passes a full run that meets the bar with zero losses', () => {
  const files = [file('a', { scenarios: 30, records_checked: 5, interrupted_applies: 100 }), file('b', { bad_inputs: 10_000, concurrent_calls: 100, sequential_calls: 10_000, records_checked: 7 })];
  const t = total(files);
  expect(t.records_checked).toBe(12);
  expect(verdict(t, true)).toEqual([]);
  expect(render(files, t, [])).toMatch(/full run[\s\S]*records checked\s+12[\s\S]*RELIABILITY OK/);
});

it('fails on any lost, duplicated or leaked figure, and a full run short of the counts', () => {
  const t = total([file('a', { lost: 1, duplicated: 2, canary_leaks: 1, scenarios: 29 })]);
  const problems = verdict(t, true);
  expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^lost is 1/), expect.stringMatching(/^duplicated is 2/), expect.stringMatching(/^canary_leaks is 1/), expect.stringMatching(/^scenarios is 29/)]));
  expect(render([], t, problems)).toMatch(/RELIABILITY FAILED: lost is 1/);
  // A reduced run is not held to the full counts, only to the zeroes.
  expect(verdict(total([file('a', { scenarios: 3 }, false)]), false)).toEqual([]);
});
