/**
 * `vpsorg-dns-mcp plan`: what `apply` would do to make the zones what the repository's zone files
 * say, in text, Markdown (a pull-request comment) or JSON, with the plan's digest; and the exit
 * code a CI job branches on (EXIT.drift with --expect-no-changes). docs/dns-as-code.md.
 */
import { ConfigError } from '../errors.js';
import type { Env } from '../config.js';
import { planDigest } from '../domain/code-plan.js';
import { planReport, type PlanReport } from '../domain/code-report.js';
import { planMarkdown } from '../domain/code-markdown.js';
import { planText } from '../domain/code-text.js';
import { errorResult } from '../tools/kit/run.js';
import { parseCodeArgs, type CodeArgs, type CodeCommand } from './code-args.js';
import { againstFile, readRules, readTargets, type ZoneTarget } from './code-inputs.js';
import type { RecordRules } from '../domain/code-rules.js';
import { planAgainst, planLive, type PlannedZone } from './code-zones.js';
import { stderrProgress } from './context.js';
import { openSession, type CliSession } from './session.js';
import { writeDiagnostic, writeResult } from './output.js';
import { EXIT, report } from './report.js';

/** Plans every zone of the arguments: against the live zones (a session) or the committed exports. */
export interface PlannedAll {
  zones: PlannedZone[];
  report: PlanReport;
  /** The files and rules read, once: apply plans each zone again from exactly these. */
  targets: ZoneTarget[];
  rules: RecordRules;
}

export async function planAll(a: CodeArgs, session: CliSession | undefined): Promise<PlannedAll> {
  const targets = await readTargets(a);
  const rules = await readRules(a);
  const zones: PlannedZone[] = [];
  for (const t of targets) {
    zones.push(session ? await planLive(session.ctx, t, rules) : planAgainst(t, await againstFile(a.against as string, t.zone, targets.length), rules));
  }
  const digest = planDigest(zones.map((z) => ({ zone: z.report.zone, changes: z.report.changes })));
  return { zones, report: planReport(zones.map((z) => z.report), digest), targets, rules };
}

export function renderPlan(r: PlanReport, format: CodeArgs['format']): string {
  if (format === 'json') return JSON.stringify(r, null, 2);
  return format === 'markdown' ? planMarkdown(r) : planText(r);
}

/**
 * Runs one DNS-as-code command, turning every failure into its exit code: usage 2, a zone or file
 * problem 1 (as `call` does); the command itself decides the rest.
 */
export async function runCodeCommand(command: CodeCommand, argv: string[], env: Env, run: (a: CodeArgs, open: () => Promise<CliSession>) => Promise<number>): Promise<number> {
  let session: CliSession | undefined;
  const progress = stderrProgress();
  try {
    const a = parseCodeArgs(command, argv);
    return await run(a, async () => (session = await openSession(a.globals, env, progress)));
  } catch (err) {
    if (err instanceof ConfigError) {
      writeDiagnostic(`vpsorg-dns-mcp ${command}: ${err.message}`);
      return EXIT.usage;
    }
    return report(errorResult(err, command), false);
  } finally {
    progress.done();
    await session?.close();
  }
}

export function runPlanCommand(argv: string[], env: Env): Promise<number> {
  return runCodeCommand('plan', argv, env, async (a, open) => {
    const { report: r } = await planAll(a, a.against ? undefined : await open());
    await writeResult(renderPlan(r, a.format));
    if (r.total > 0 && a.expectNoChanges) {
      writeDiagnostic(`Drift: ${r.total} change${r.total === 1 ? '' : 's'} between the zone files and ${a.against ?? 'the live zones'} (exit code ${EXIT.drift}).`);
      return EXIT.drift;
    }
    return EXIT.ok;
  });
}
