import * as z from 'zod';
import { UserError, ValidationError } from '../errors.js';
import { log, redact } from '../log.js';
import { fieldOf, unknownKeyProblems } from './strict.js';
import type { ToolContext, ToolDef, ToolInputRequest } from './types.js';

/** A tool call's outcome, free of SDK types: the MCP server and the CLI both render it. */
export type RunResult =
  | { isError: false; text: string; structured: Record<string, unknown> }
  | { isError: true; text: string; error: { code: string; field?: string; hint?: string; details?: Record<string, unknown> } }
  | { isError: false; inputRequired: ToolInputRequest['inputRequired'] };

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

/** Validates arguments, runs the handler, and turns every failure into a clear result. Never throws. */
export async function runTool(def: ToolDef, rawArgs: unknown, ctx: ToolContext): Promise<RunResult> {
  try {
    const parsed = def.input.safeParse(rawArgs ?? {});
    if (!parsed.success) throw zodProblems(def.input, parsed.error);
    const out = await def.handler(parsed.data, ctx);
    if ('inputRequired' in out) return { isError: false, inputRequired: out.inputRequired };
    return { isError: false, text: redact(out.text), structured: JSON.parse(redact(JSON.stringify(out.structured))) as Record<string, unknown> };
  } catch (err) {
    return errorResult(err, def.name);
  }
}
