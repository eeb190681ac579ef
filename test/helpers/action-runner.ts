/**
 * Runs the steps of a composite action (action.yml) as a runner would, with no GitHub: `if:` and
 * `${{ }}` expressions of the simple forms the action uses, each `run:` with
 * `bash --noprofile --norc -eo pipefail`, GITHUB_ENV carried to later steps, GITHUB_OUTPUT read
 * back per step. `gh` is whatever the PATH given holds (a fake in the tests).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

interface Step {
  id: string;
  if?: string;
  env?: Record<string, string>;
  run: string;
}

interface Action {
  inputs: Record<string, { default?: string }>;
  runs: { steps: Step[] };
}

export interface ActionRun {
  code: number;
  /** The ids of the steps that ran, in order. */
  ran: string[];
  outputs: Record<string, Record<string, string>>;
  /** stdout and stderr of every step (workflow commands such as ::error:: go to stdout). */
  log: string;
  summary: string;
}

function lookup(path: string, ctx: Record<string, unknown>): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), ctx);
}

function evaluate(expr: string, ctx: Record<string, unknown>): unknown {
  const terms = expr.split('&&').map((t) => t.trim());
  if (terms.length > 1) return terms.every((t) => evaluate(t, ctx));
  const eq = /^([\w.-]+)\s*==\s*'([^']*)'$/.exec(expr);
  if (eq) return String(lookup(eq[1] as string, ctx) ?? '') === eq[2];
  if (!/^[\w.-]+$/.test(expr)) throw new Error(`action-runner: unsupported expression ${expr}`);
  return lookup(expr, ctx);
}

const substitute = (text: string, ctx: Record<string, unknown>) => text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, e: string) => String(evaluate(e, ctx) ?? ''));

export async function runAction(file: string, o: { inputs: Record<string, string>; github: Record<string, unknown>; cwd: string; env: Record<string, string> }): Promise<ActionRun> {
  const action = parse(readFileSync(file, 'utf8')) as Action;
  const temp = mkdtempSync(join(tmpdir(), 'vpsorg-runner-'));
  const github = { ...o.github, action_path: process.cwd() };
  const defaults = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, substitute(v.default ?? '', { github })]));
  const ctx = { inputs: { ...defaults, ...o.inputs }, github };
  const files = { GITHUB_ENV: join(temp, 'env'), GITHUB_STEP_SUMMARY: join(temp, 'summary') };
  writeFileSync(files.GITHUB_ENV, '');
  writeFileSync(files.GITHUB_STEP_SUMMARY, '');
  const out: ActionRun = { code: 0, ran: [], outputs: {}, log: '', summary: '' };
  for (const step of action.runs.steps) {
    if (step.if && !evaluate(step.if, ctx)) continue;
    const carried = Object.fromEntries(readFileSync(files.GITHUB_ENV, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    const env = { ...o.env, ...carried, ...files, GITHUB_OUTPUT: join(temp, `out-${step.id}`), RUNNER_TEMP: temp, ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(v, ctx)])) };
    writeFileSync(env.GITHUB_OUTPUT, '');
    writeFileSync(join(temp, `${step.id}.sh`), step.run);
    const code = await new Promise<number>((done) => {
      execFile('bash', ['--noprofile', '--norc', '-eo', 'pipefail', join(temp, `${step.id}.sh`)], { cwd: o.cwd, env, timeout: 120_000 }, (err, stdout, stderr) => {
        out.log += stdout + stderr;
        done(err ? (typeof err.code === 'number' ? err.code : -1) : 0);
      });
    });
    out.ran.push(step.id);
    out.outputs[step.id] = Object.fromEntries(readFileSync(env.GITHUB_OUTPUT, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    if (code !== 0) {
      out.code = code;
      break;
    }
  }
  out.summary = readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8');
  return out;
}
