/**
 * An error the agent (or its human) can act on. One wrapper (tools/kit/run.ts) turns it into an
 * `isError` tool result; nothing else should format errors for users.
 */
/**
 * Words a stranger wrote (the provider's message, a line of a zone file) that an error quotes: the
 * one renderer (tools/kit/run.ts) shows them inside a data block, never in the message itself.
 */
export interface Quoted {
  /** What the lines are, in the block's opening line, e.g. "VPS.org's message". */
  what: string;
  lines: string[];
}

export class UserError extends Error {
  /** Machine-readable kind, e.g. `validation`, `not_found`, `auth`, `permission`, `rate_limited`. */
  readonly code: string;
  /** The input field at fault, when there is one. */
  readonly field: string | undefined;
  /** What to do next. */
  readonly hint: string | undefined;
  /** Extra structured data to return alongside the message (e.g. candidate records). */
  readonly details: Record<string, unknown> | undefined;
  /** Text quoted from a stranger, shown apart from the message (see Quoted). */
  readonly quoted: Quoted | undefined;

  constructor(message: string, opts: { code?: string; field?: string; hint?: string; details?: Record<string, unknown>; cause?: unknown; quoted?: Quoted | undefined } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'UserError';
    this.code = opts.code ?? 'error';
    this.field = opts.field;
    this.hint = opts.hint;
    this.details = opts.details;
    this.quoted = opts.quoted;
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

/** Problems listed in one error, and characters of each message: a 2 MB file of `)` has 2 million. */
export const MAX_PROBLEMS = 50;
const MAX_PROBLEM_CHARS = 300;
const cut = (s: string) => (s.length > MAX_PROBLEM_CHARS ? `${s.slice(0, MAX_PROBLEM_CHARS)}...` : s);

export class ValidationError extends UserError {
  /** The first MAX_PROBLEMS problems; `problemCount` is how many there were in all. */
  readonly problems: Problem[];
  readonly problemCount: number;
  /** `message` replaces the default `prefix: field: message; ...` text. */
  /** `quoteAs`: the problems quote a stranger's text (a zone file's lines): they are listed in a data block of that name, not in the message. */
  constructor(problems: Problem[], prefix = 'Invalid input', message?: string, quoteAs?: string) {
    const shown = problems.slice(0, MAX_PROBLEMS).map((p) => ({ ...p, message: cut(p.message), ...(p.example !== undefined ? { example: cut(p.example) } : {}) }));
    const more = problems.length - shown.length;
    const first = shown[0];
    const line = (p: Problem) => `${p.field}: ${p.message}${p.example ? ` (e.g. ${p.example})` : ''}`;
    const list = shown.map(line).join('; ');
    super(message ? cut(message) : `${prefix}: ${list}${more ? `; and ${more} more (${problems.length} problems in all; fix these first)` : ''}`, {
      code: 'validation',
      ...(first ? { field: first.field } : {}),
      details: { problems: shown, ...(more ? { problem_count: problems.length } : {}) },
      quoted: quoteAs ? { what: quoteAs, lines: [...shown.map(line), ...(more ? [`... and ${more} more (${problems.length} problems in all; fix these first)`] : [])] } : undefined,
    });
    this.name = 'ValidationError';
    this.problems = shown;
    this.problemCount = problems.length;
  }
}
