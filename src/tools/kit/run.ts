import { setMaxListeners } from 'node:events';
import * as z from 'zod';
import { inCallScope, requestSignal } from '../../callscope.js';
import { UserError, ValidationError } from '../../errors.js';
import { log, redact } from '../../log.js';
import { dataBlock, safeStructured, safeText } from '../../domain/display.js';
import { fieldOf, nullsAsAbsent, unknownKeyProblems } from './strict.js';
import type { ToolContext, ToolDef, ToolInputRequest } from './types.js';
import { ZoneResolver } from './resolve.js';
import { WriteRecorder } from '../../history/recorder.js';
import { recordCall } from '../../history/record-call.js';
import { PendingWrite } from '../../history/pending.js';
import { observe, type OpEnd } from '../../telemetry/index.js';
import { requireScope, toolScope } from '../../safety/scopes.js';

/** A tool call's outcome, free of SDK types: the MCP server and the CLI both render it. */
export type RunResult =
  | { isError: false; text: string; structured: Record<string, unknown>; meta?: Record<string, unknown> }
  | { isError: true; text: string; error: { code: string; field?: string; hint?: string; details?: Record<string, unknown> } }
  | { isError: false; inputRequired: ToolInputRequest['inputRequired'] };

type ErrorData = Extract<RunResult, { isError: true }>['error'];

/** Every schema problem at once; an unknown key names the nearest valid one. Nothing has been sent yet. */
function zodProblems(schema: z.ZodType, err: z.ZodError): ValidationError {
  const problems = err.issues.flatMap((i) =>
    i.code === 'unrecognized_keys' ? unknownKeyProblems(schema, i.path, i.keys) : [{ field: fieldOf(i.path) || '(arguments)', rule: i.code, message: i.message }],
  );
  // Only unknown keys: the message is the question itself (`Unknown argument "dryRun": did you mean "dry_run"? Nothing was sent.`).
  if (problems.every((p) => p.rule === 'unknown_argument')) return new ValidationError(problems, '', `${problems.map((p) => p.message).join(' ')} Nothing was sent.`);
  return new ValidationError(problems, 'Invalid arguments (nothing was sent)');
}

export function errorResult(err: unknown, tool: string): RunResult {
  if (err instanceof UserError) {
    const lines = [`Error${err.field ? ` in \`${err.field}\`` : ''}: ${err.message}`];
    // What a stranger wrote (the provider's message, a zone file's line) only ever inside a data block.
    if (err.quoted?.lines.length) lines.push(dataBlock(err.quoted.lines, err.quoted.what));
    if (err.hint) lines.push(`What to do: ${err.hint}`);
    return {
      isError: true,
      text: safeText(redact(lines.join('\n'))),
      error: safeStructured(
        JSON.parse(redact(JSON.stringify({ code: err.code, ...(err.field ? { field: err.field } : {}), ...(err.hint ? { hint: err.hint } : {}), ...(err.details ? { details: err.details } : {}) }))) as ErrorData,
      ),
    };
  }
  // Anything else is our bug or an unexpected runtime failure: log it (redacted), tell the user plainly.
  const message = err instanceof Error ? err.message : String(err);
  log.error(`${tool}: unexpected error: ${err instanceof Error && err.stack ? err.stack : message}`);
  return { isError: true, text: safeText(redact(`Error: ${tool} failed unexpectedly: ${message}. Nothing further was attempted; try again, and report it if it persists.`)), error: { code: 'internal' } };
}

/**
 * The call's own signal, followed by every API request and DNS query of the call (one listener each,
 * hundreds at once in a zone-wide check: no MaxListenersExceededWarning), and cut loose afterwards.
 */
function callSignal(...outer: Array<AbortSignal | undefined>): { signal: AbortSignal; done(): void } {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const sources = outer.filter((s): s is AbortSignal => s !== undefined);
  const onAbort = () => controller.abort();
  for (const s of sources) {
    if (s.aborted) onAbort();
    else s.addEventListener('abort', onAbort, { once: true });
  }
  return { signal: controller.signal, done: () => sources.forEach((s) => s.removeEventListener('abort', onAbort)) };
}

/**
 * A write tool runs on a recording view of the API (history/recorder.ts): whatever it changes,
 * through whichever path, gets a receipt and a journal entry here, in one place.
 */
function recording(def: ToolDef, ctx: ToolContext, args: unknown): { ctx: ToolContext; finish(failed: boolean): ReturnType<typeof recordCall> } | null {
  if (def.hints.readOnlyHint) return null;
  const who = { tool: def.name, client: ctx.client, actor: ctx.caller?.actor };
  // What was asked is journalled before the first write goes out (history/pending.ts).
  const pending = new PendingWrite(ctx.config, who, args);
  const rec = new WriteRecorder(ctx.api, (zone) => pending.before(zone));
  const history: NonNullable<ToolContext['history']> = {};
  const view = { ...ctx, api: rec.api, zones: new ZoneResolver(rec.api, ctx.zones.allowed), history };
  // An undo that stopped part-way took its change back only partly.
  return { ctx: view, finish: (failed) => recordCall(ctx.config, rec, { ...who, ...history, ...(failed ? { partial: true } : {}), pending: pending.id }) };
}

const outcomeOf = (r: RunResult): OpEnd =>
  'inputRequired' in r ? { outcome: 'input_required' } : r.isError ? { outcome: 'error', error: r.error.code } : { outcome: 'ok' };

/**
 * Validates arguments, runs the handler, and turns every failure into a clear result. Never throws.
 * Every tools/call passes here, from any transport and the CLI: the one place it is observed (src/telemetry).
 */
export function runTool(def: ToolDef, rawArgs: unknown, ctx: ToolContext): Promise<RunResult> {
  return observe({ kind: 'tool', attrs: { tool: def.name, ...(ctx.client?.transport ? { transport: ctx.client.transport } : {}) }, carrier: ctx.trace }, () => run(def, rawArgs, ctx), outcomeOf);
}

async function run(def: ToolDef, rawArgs: unknown, ctx: ToolContext): Promise<RunResult> {
  // The SDK's signal (notifications/cancelled) and the transport's (an HTTP client that disconnected).
  const call = callSignal(ctx.signal, requestSignal());
  const rec = recording(def, { ...ctx, signal: call.signal }, rawArgs);
  try {
    // Every way a tool runs (tools/call, tasks/get polls, probes) needs the scope the tool does, here in one place.
    requireScope(ctx.caller, toolScope(def));
    const parsed = def.input.safeParse(nullsAsAbsent(def.input, rawArgs ?? {}));
    if (!parsed.success) throw zodProblems(def.input, parsed.error);
    const out = await inCallScope(call.signal, () => def.handler(parsed.data, rec?.ctx ?? { ...ctx, signal: call.signal }));
    // Every tool's output leaves through the one escaping path (domain/display.ts), whatever the tool did.
    if ('inputRequired' in out) return { isError: false, inputRequired: { ...out.inputRequired, message: safeText(redact(out.inputRequired.message)) } };
    const undo = await rec?.finish(false);
    const structured = undo?.undo ? { ...out.structured, undo: undo.undo } : out.structured;
    const text = [out.text, ...(undo?.lines ?? [])].join('\n');
    const meta = out.meta ? { meta: safeStructured(JSON.parse(redact(JSON.stringify(out.meta))) as Record<string, unknown>) } : {};
    return { isError: false, text: safeText(redact(text)), structured: safeStructured(JSON.parse(redact(JSON.stringify(structured))) as Record<string, unknown>), ...meta };
  } catch (err) {
    const res = errorResult(err, def.name);
    // What was applied before a failure part-way can be taken back like any change.
    const undo = await rec?.finish(true).catch(() => undefined);
    if (!res.isError || !undo?.undo) return res;
    return { ...res, text: safeText(redact([res.text, ...undo.lines].join('\n'))), error: { ...res.error, details: { ...res.error.details, undo: JSON.parse(redact(JSON.stringify(undo.undo))) } } };
  } finally {
    call.done();
  }
}
