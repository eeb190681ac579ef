import { UserError, type Quoted } from '../errors.js';

/**
 * Status-keyed errors of the VPS.org API (the cloudflare-typescript/Stainless shape). Every message
 * says what happened and what to do; the factories in responses.ts and http.ts build them, and
 * client.ts redacts the token from every one before it leaves the API layer.
 */
export interface ApiErrorOptions {
  code?: string;
  status?: number;
  field?: string;
  hint?: string;
  details?: Record<string, unknown>;
  cause?: unknown;
  /** The provider's own words (a `detail`, field messages): shown only inside a data block. */
  quoted?: Quoted | undefined;
}

export class ApiError extends UserError {
  /** The HTTP status, when the server answered at all. */
  readonly status: number | undefined;
  constructor(message: string, opts: ApiErrorOptions = {}) {
    const { status, ...rest } = opts;
    super(message, { code: 'api_error', ...rest });
    this.name = 'ApiError';
    this.status = status;
  }
}

/** A missing (`no_token`) or malformed (`bad_token`) token, refused before any request is sent. */
export class TokenError extends ApiError {
  constructor(message: string, code: 'no_token' | 'bad_token') {
    super(message, { code });
    this.name = 'TokenError';
  }
}

/** 400 (and 409/422): a field broke a rule. `details.problems` lists every one the server named. */
export class BadRequestError extends ApiError {
  constructor(message: string, opts: ApiErrorOptions) {
    super(message, { code: 'validation', ...opts });
    this.name = 'BadRequestError';
  }
}

export class AuthenticationError extends ApiError {
  constructor(message: string, opts: ApiErrorOptions = {}) {
    super(message, { code: 'auth', status: 401, ...opts });
    this.name = 'AuthenticationError';
  }
}

export class PermissionDeniedError extends ApiError {
  /** The `dns:*` permission the token lacks (from the body when given, else inferred from the method). */
  readonly permission: string;
  constructor(message: string, permission: string, opts: ApiErrorOptions = {}) {
    super(message, { code: 'permission', status: 403, ...opts });
    this.name = 'PermissionDeniedError';
    this.permission = permission;
  }
}

export class NotFoundError extends ApiError {
  /** The 404 came with the API's JSON `{detail}` body (not a web server's page): see identity.ts. */
  readonly apiShaped: boolean;
  constructor(message: string, opts: ApiErrorOptions = {}, apiShaped = true) {
    super(message, { code: 'not_found', status: 404, ...opts });
    this.name = 'NotFoundError';
    this.apiShaped = apiShaped;
  }
}

export class RateLimitError extends ApiError {
  /** What the server asked us to wait (uncapped), when it said. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, retryAfterMs: number | undefined, opts: ApiErrorOptions = {}) {
    super(message, { code: 'rate_limited', status: 429, ...opts });
    this.name = 'RateLimitError';
    this.retryAfterMs = retryAfterMs;
  }
}

export class ServerError extends ApiError {
  constructor(message: string, opts: ApiErrorOptions) {
    super(message, { code: 'server_error', ...opts });
    this.name = 'ServerError';
  }
}

/**
 * The connection failed. `sent` is false only when the request provably never left (refused,
 * DNS failure, connect timeout): only then may a POST/PATCH be re-sent without reading back.
 */
export class ConnectionError extends ApiError {
  readonly sent: boolean;
  constructor(message: string, sent: boolean, opts: ApiErrorOptions = {}) {
    super(message, { code: 'connection', ...opts });
    this.name = 'ConnectionError';
    this.sent = sent;
  }
}

export class TimeoutError extends ApiError {
  constructor(message: string, opts: ApiErrorOptions = {}) {
    super(message, { code: 'timeout', ...opts });
    this.name = 'TimeoutError';
  }
}

/** The tool call was cancelled (notifications/cancelled, HTTP disconnect, Ctrl-C): never retried. */
export class CancelledError extends ApiError {
  /** The request was abandoned in flight (not before it was sent): a write may have reached the provider. */
  readonly sent: boolean;
  constructor(message: string, opts: ApiErrorOptions = {}, sent = false) {
    super(message, { code: 'cancelled', ...opts });
    this.name = 'CancelledError';
    this.sent = sent;
  }
}

/** A 2xx body that is not JSON or not the documented shape, a redirect, or another surprise. */
export class UnexpectedResponseError extends ApiError {
  /** The body was not JSON at all (a web page, plain text): what a host other than the API sends (identity.ts). */
  readonly foreign: boolean;
  constructor(message: string, opts: ApiErrorOptions = {}, foreign = false) {
    super(message, { code: 'unexpected_response', ...opts });
    this.name = 'UnexpectedResponseError';
    this.foreign = foreign;
  }
}

/**
 * A write may or may not have been applied, and nothing proves which: its answer was lost and
 * reading back did not find it (the provider may still be processing it) or failed.
 */
export class OutcomeUnknownError extends ApiError {
  constructor(message: string, opts: ApiErrorOptions = {}) {
    super(message, { code: 'outcome_unknown', ...opts });
    this.name = 'OutcomeUnknownError';
  }
}
