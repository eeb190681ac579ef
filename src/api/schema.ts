import type * as z from 'zod';
import { UnexpectedResponseError } from './errors.js';
import type { RequestInfo } from './responses.js';

/** Validates provider JSON; a mismatch names the first few offending paths and what was wrong. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string, req: RequestInfo, at = ''): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 3).map((i) => `${formatPath(at, i.path)}: ${i.message}`);
  const more = result.error.issues.length > 3 ? ` (and ${result.error.issues.length - 3} more)` : '';
  throw new UnexpectedResponseError(`${req.method} ${req.path} answered with ${what} that is not in the documented shape: ${issues.join('; ')}${more}. The API may have changed; try again, and report it if it persists.`);
}

function formatPath(at: string, path: ReadonlyArray<PropertyKey>): string {
  let out = at;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out === '' ? '(body)' : out;
}
