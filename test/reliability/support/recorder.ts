/**
 * Figures for the reliability summary. Each test file (its own worker process) counts here and
 * writes one JSON file under .tmp/reliability/ when it ends; summary-reporter.ts adds them up.
 * The canary API token is used by every harness of the run, and every output is scanned for it.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { log } from '../../../src/log.js';
import { SUMMARY_DIR, emptyTally, type Tally } from './summary.js';

/** RELIABILITY_FULL=1 runs the full counts (npm run test:reliability); otherwise a reduced seeded run. */
export const FULL = /^(1|true|yes)$/i.test(process.env['RELIABILITY_FULL'] ?? '');

export const tally: Tally = emptyTally();

/** Free-form figures (RSS, timings) printed under the summary. */
export const figures: string[] = [];
export const leaks: string[] = [];

// The canary: a syntactically valid token that no output may ever contain, raw or encoded.
export const CANARY = `vps_canary_${randomBytes(16).toString('hex')}`;
const NEEDLE = CANARY.slice('vps_canary_'.length);

export function scan(text: string, where: string): void {
  tally.outputs_scanned++;
  if (text.includes(NEEDLE)) {
    tally.canary_leaks++;
    if (leaks.length < 20) leaks.push(`${where}: ${text.slice(0, 200)}`);
  }
}

// Unhandled failures anywhere in this worker are crashes, whatever test was running.
process.on('unhandledRejection', () => void tally.crashes++);
process.on('uncaughtExceptionMonitor', () => void tally.crashes++);

// Everything the in-process server logs goes through stderr: scan it as it is written.
let quietDebug = false;
const stderrWrite = process.stderr.write.bind(process.stderr) as (chunk: unknown, ...rest: unknown[]) => boolean;
process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => {
  const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
  scan(text, 'stderr');
  if (quietDebug && text.startsWith('[vpsorg-dns-mcp] debug:')) return true;
  return stderrWrite(chunk, ...rest);
}) as typeof process.stderr.write;

/** Turns the server's debug log on (retries, read-backs: the lines most likely to carry a request's details) so it is scanned too, without printing it. */
export function scanDebugLog(): void {
  quietDebug = true;
  log.setLevel('debug');
}

/** Writes this file's figures; called from afterAll. */
export function flush(name: string): void {
  mkdirSync(SUMMARY_DIR, { recursive: true });
  writeFileSync(join(SUMMARY_DIR, `${name}.json`), `${JSON.stringify({ name, full: FULL, tally, figures, leaks }, null, 2)}\n`);
}
