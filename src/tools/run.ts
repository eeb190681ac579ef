import * as z from 'zod';
import { UserError, ValidationError } from '../errors.js';
import { log, redact } from '../log.js';
import type { ToolContext, ToolDef, ToolInputRequest } from './types.js';
import { ZoneResolver } from './resolve.js';
import { WriteRecorder } from '../history/recorder.js';
import { recordCall } from '../history/record-call.js';

/** A tool call's outcome, free of SDK types: the MCP server and the CLI both render it. */
export type RunResult =
  | { isError: false; text: string; structured: Record<string, unknown> }
  | { isError: true; text: string; error: { code: string; field?: string; hint?: string; details?: Record<string, unknown> } }
  | { isError: false; inputRequired: ToolInputRequest['inputRequired'] };

function zodProblems(err: z.ZodError): ValidationError {
  return new ValidationError(
    err.issues.map((i) => ({ field: i.path.join('.') || '(arguments)', rule: i.code, message: i.message })),
    'Invalid arguments',
  );
}

export function errorResult(err: unknown, tool: string): RunResult {
  if (err instanceof UserError) {
    const lines = [`Error${err.field ? ` in \`${err.field}\`` : ''}: ${err.message}`];
    if (err.hint) lines.push(`What to do: ${err.hint}`);
    return {
      isError: true,
      text: redact(lines.join('\n')),
      error: JSON.parse(
        redact(JSON.stringify({ code: err.code, ...(err.field ? { field: err.field } : {}), ...(err.hint ? { hint: err.hint } : {}), ...(err.details ? { details: err.details } : {}) })),
      ),
    };
  }
  // Anything else is our bug or an unexpected runtime failure: log it (redacted), tell the user plainly.
  const message = err instanceof Error ? err.message : String(err);
  log.error(`${tool}: unexpected error: ${err instanceof Error && err.stack ? err.stack : message}`);
  return { isError: true, text: redact(`Error: ${tool} failed unexpectedly: ${message}. Nothing further was attempted; try again, and report it if it persists.`), error: { code: 'internal' } };
}

/**
 * A write tool runs on a recording view of the API (history/recorder.ts): whatever it changes,
 * through whichever path, gets a receipt and a journal entry here, in one place.
 */
function recording(def: ToolDef, ctx: ToolContext): { ctx: ToolContext; finish(failed: boolean): ReturnType<typeof recordCall> } | null {
  if (def.hints.readOnlyHint) return null;
  const rec = new WriteRecorder(ctx.api);
  const history: NonNullable<ToolContext['history']> = {};
  const view = { ...ctx, api: rec.api, zones: new ZoneResolver(rec.api, ctx.zones.allowed), history };
  // An undo that stopped part-way took its change back only partly.
  return { ctx: view, finish: (failed) => recordCall(ctx.config, rec, { tool: def.name, client: ctx.client, ...history, ...(failed ? { partial: true } : {}) }) };
}

/** Validates arguments, runs the handler, and turns every failure into a clear result. Never throws. */
export async function runTool(def: ToolDef, rawArgs: unknown, ctx: ToolContext): Promise<RunResult> {
  const rec = recording(def, ctx);
  try {
    const parsed = def.input.safeParse(rawArgs ?? {});
    if (!parsed.success) throw zodProblems(parsed.error);
    const out = await def.handler(parsed.data, rec?.ctx ?? ctx);
    if ('inputRequired' in out) return { isError: false, inputRequired: out.inputRequired };
    const undo = await rec?.finish(false);
    const structured = undo?.undo ? { ...out.structured, undo: undo.undo } : out.structured;
    const text = [out.text, ...(undo?.lines ?? [])].join('\n');
    return { isError: false, text: redact(text), structured: JSON.parse(redact(JSON.stringify(structured))) as Record<string, unknown> };
  } catch (err) {
    const res = errorResult(err, def.name);
    // What was applied before a failure part-way can be taken back like any change.
    const undo = await rec?.finish(true).catch(() => undefined);
    if (!res.isError || !undo?.undo) return res;
    return { ...res, text: redact([res.text, ...undo.lines].join('\n')), error: { ...res.error, details: { ...res.error.details, undo: JSON.parse(redact(JSON.stringify(undo.undo))) } } };
  }
}
