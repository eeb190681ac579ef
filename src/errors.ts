/**
 * An error the agent (or its human) can act on. One wrapper (tools/run.ts) turns it into an
 * `isError` tool result; nothing else should format errors for users.
 */
export class UserError extends Error {
  /** Machine-readable kind, e.g. `validation`, `not_found`, `auth`, `permission`, `rate_limited`. */
  readonly code: string;
  /** The input field at fault, when there is one. */
  readonly field: string | undefined;
  /** What to do next. */
  readonly hint: string | undefined;
  /** Extra structured data to return alongside the message (e.g. candidate records). */
  readonly details: Record<string, unknown> | undefined;

  constructor(message: string, opts: { code?: string; field?: string; hint?: string; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'UserError';
    this.code = opts.code ?? 'error';
    this.field = opts.field;
    this.hint = opts.hint;
    this.details = opts.details;
  }
}

/** Invalid configuration: printed on stderr at start-up, then a non-zero exit. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** One failed rule of an input, so that every reason can be reported at once. */
export interface Problem {
  field: string;
  rule: string;
  message: string;
  example?: string;
}

export class ValidationError extends UserError {
  readonly problems: Problem[];
  /** `message` replaces the default `prefix: field: message; ...` text. */
  constructor(problems: Problem[], prefix = 'Invalid input', message?: string) {
    const first = problems[0];
    super(message ?? `${prefix}: ${problems.map((p) => `${p.field}: ${p.message}${p.example ? ` (e.g. ${p.example})` : ''}`).join('; ')}`, {
      code: 'validation',
      ...(first ? { field: first.field } : {}),
      details: { problems },
    });
    this.name = 'ValidationError';
    this.problems = problems;
  }
}
