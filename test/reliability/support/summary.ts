/**
 * The reliability summary: the per-file figures (written by recorder.ts in each test worker)
 * added up, checked against the bar, and rendered as the block `npm run test:reliability`
 * ends with. Pure: no side effects on import, so the reporter can use it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SUMMARY_DIR = join(process.cwd(), '.tmp', 'reliability');

export interface Tally {
  scenarios: number;
  interrupted_applies: number;
  records_checked: number;
  lost: number;
  duplicated: number;
  unintended: number;
  /** Reported as failed, found applied: allowed only when the message says the outcome is unknown. */
  failed_but_applied: number;
  bad_inputs: number;
  protocol_errors: number;
  crashes: number;
  hangs: number;
  off_api_requests: number;
  off_loopback_attempts: number;
  concurrent_calls: number;
  mismatched_responses: number;
  sequential_calls: number;
  outputs_scanned: number;
  canary_leaks: number;
}

export const emptyTally = (): Tally => ({
  scenarios: 0, interrupted_applies: 0, records_checked: 0, lost: 0, duplicated: 0, unintended: 0, failed_but_applied: 0,
  bad_inputs: 0, protocol_errors: 0, crashes: 0, hangs: 0, off_api_requests: 0, off_loopback_attempts: 0,
  concurrent_calls: 0, mismatched_responses: 0, sequential_calls: 0, outputs_scanned: 0, canary_leaks: 0,
});

export interface FileSummary {
  name: string;
  full: boolean;
  tally: Tally;
  figures: string[];
  leaks: string[];
}

export function readSummaries(dir = SUMMARY_DIR): FileSummary[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as FileSummary);
}

export function total(files: FileSummary[]): Tally {
  const t = emptyTally();
  for (const f of files) for (const k of Object.keys(t) as Array<keyof Tally>) t[k] += f.tally[k] ?? 0;
  return t;
}

/** What the issue asks of a full run; every "must be zero" figure applies to any run. */
const MINIMUMS: Array<[keyof Tally, number]> = [['scenarios', 30], ['interrupted_applies', 100], ['bad_inputs', 10_000], ['concurrent_calls', 100], ['sequential_calls', 10_000]];
const ZEROES: Array<keyof Tally> = ['lost', 'duplicated', 'unintended', 'crashes', 'protocol_errors', 'hangs', 'off_api_requests', 'off_loopback_attempts', 'mismatched_responses', 'canary_leaks'];

export function verdict(t: Tally, full: boolean): string[] {
  const problems = ZEROES.filter((k) => t[k] !== 0).map((k) => `${k} is ${t[k]}, must be 0`);
  if (full) for (const [k, min] of MINIMUMS) if (t[k] < min) problems.push(`${k} is ${t[k]}, the full run needs at least ${min}`);
  return problems;
}

export function render(files: FileSummary[], t: Tally, problems: string[]): string {
  const full = files.length > 0 && files.every((f) => f.full);
  const row = (label: string, value: number | string) => `  ${label.padEnd(34)} ${String(value).padStart(8)}`;
  return [
    '',
    `Reliability summary (${full ? 'full run' : 'reduced run'}, ${files.length} files: ${files.map((f) => f.name).join(', ')})`,
    row('fault scenarios run', t.scenarios),
    row('interrupted applies', t.interrupted_applies),
    row('records checked', t.records_checked),
    row('lost', t.lost),
    row('duplicated', t.duplicated),
    row('unintended changes', t.unintended),
    row('failed but applied (said "may")', t.failed_but_applied),
    row('bad inputs tried', t.bad_inputs),
    row('crashes', t.crashes),
    row('protocol errors', t.protocol_errors),
    row('hangs', t.hangs),
    row('requests outside the API', t.off_api_requests),
    row('traffic off loopback', t.off_loopback_attempts),
    row('concurrent calls', t.concurrent_calls),
    row('responses to the wrong request', t.mismatched_responses),
    row('sequential calls (one process)', t.sequential_calls),
    row('outputs scanned for the canary', t.outputs_scanned),
    row('canary leaks', t.canary_leaks),
    ...files.flatMap((f) => f.figures.map((x) => `  ${x}`)),
    ...files.flatMap((f) => f.leaks.map((x) => `  LEAK (${f.name}): ${x}`)),
    problems.length ? `RELIABILITY FAILED: ${problems.join('; ')}` : 'RELIABILITY OK',
    '',
  ].join('\n');
}
