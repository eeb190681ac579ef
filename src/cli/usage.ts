/**
 * A tool's arguments checked before anything runs, with the problems said in shell terms:
 * `--ttl takes an integer (got "soon")`, not a schema library's "expected number, received string".
 * A failure here is a usage error (exit code 2): nothing was sent.
 */
import type * as z from 'zod';
import type { ToolDef } from '../tools/kit/types.js';
import { UsageError } from './coerce.js';
import { unknownKeyProblems } from '../tools/kit/strict.js';

const flagOf = (key: PropertyKey) => `--${String(key).replaceAll('_', '-')}`;

/** `--records` item 2, field `value`: where in the arguments the problem is. */
function where(path: readonly PropertyKey[]): string {
  const [head, ...rest] = path;
  if (head === undefined) return 'the arguments';
  const tail = rest.map((p) => (typeof p === 'number' ? `item ${p + 1}` : `field "${String(p)}"`)).join(', ');
  return tail ? `${flagOf(head)} (${tail})` : flagOf(head);
}

const shown = (v: unknown) => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v));
const KIND: Record<string, string> = { number: 'a number', int: 'an integer', string: 'text', boolean: 'true or false', array: 'a list', object: 'a JSON object' };

function bound(issue: { origin?: string; minimum?: unknown; maximum?: unknown; inclusive?: boolean; code: string }): string {
  const small = issue.code === 'too_small';
  const limit = String(small ? issue.minimum : issue.maximum);
  const word = small ? (issue.inclusive === false ? 'more than' : 'at least') : issue.inclusive === false ? 'less than' : 'at most';
  if (issue.origin === 'string') return `must be ${word} ${limit} characters long`;
  if (issue.origin === 'array' || issue.origin === 'set') return `takes ${word} ${limit} values`;
  return `must be ${word} ${limit}`;
}

/** One plain sentence for one issue. */
export function plainIssue(issue: z.core.$ZodIssue): string {
  const at = where(issue.path);
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return issue.path.length === 1 ? `${at} is required` : `${at} is missing`;
      return `${at} takes ${KIND[issue.expected] ?? issue.expected} (got ${shown(input)})`;
    case 'too_small':
    case 'too_big':
      return `${at} ${bound(issue as never)} (got ${Array.isArray(input) ? `${input.length} values` : shown(input)})`;
    case 'invalid_value':
      return `${at} must be one of ${issue.values.map(String).join(', ')} (got ${shown(input)})`;
    case 'unrecognized_keys':
      return `${issue.keys.map((k) => `"${k}"`).join(', ')} ${issue.keys.length > 1 ? 'are not parameters' : 'is not a parameter'} of this tool${issue.message.includes('did you mean') ? ` (${issue.message})` : ''}`;
    default:
      return `${at}: ${issue.message}`;
  }
}

/** Throws a UsageError listing every problem with the arguments; returns quietly when they are valid. */
export function checkToolArgs(def: ToolDef, args: Record<string, unknown>): void {
  const parsed = def.input.safeParse(args, { reportInput: true });
  if (parsed.success) return;
  // Unknown keys get the same words as over MCP, with the nearest valid name (tools/kit/strict.ts).
  const lines = parsed.error.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? unknownKeyProblems(def.input, i.path, i.keys).map((p) => p.message) : [plainIssue(i)]));
  const text = lines.join('; ');
  throw new UsageError(`${def.name}: ${text}${/[.?!]$/.test(text) ? '' : '.'} Nothing was sent. See vpsorg-dns-mcp call ${def.name} --help.`);
}
