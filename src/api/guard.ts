import { UserError } from '../errors.js';
import { ApiError, TokenError } from './errors.js';
import { redactToken, redactValue } from './redact.js';

const TOKEN_PAGE = 'https://admin.vps.org/account/developers/';

/** Refuses a missing or malformed token locally, so nothing is sent with it. Never echoes the token. */
export function checkToken(token: string | undefined): asserts token is string {
  if (token === undefined || token === '') {
    throw new TokenError(`No VPS.org API token is set. Set the VPSORG_API_TOKEN environment variable to a token that starts with vps_ (make one at ${TOKEN_PAGE} with the dns:list, dns:create, dns:update and/or dns:delete permissions you need), or start the server with --sandbox to try everything against a local emulator without a token.`, 'no_token');
  }
  // Header-safe printable ASCII only: a pasted newline or space would otherwise break the request.
  if (!/^vps_[\x21-\x7e]+$/.test(token)) {
    throw new TokenError(`The token in VPSORG_API_TOKEN is not a VPS.org API token: it must start with vps_ and contain no spaces or line breaks. Copy the whole token again, or make a new one at ${TOKEN_PAGE}.`, 'bad_token');
  }
}

/**
 * The last stop before an error leaves the API layer: the token is removed from the message,
 * hint, details, stack and cause chain, and anything that is not a UserError (a bug) becomes one.
 */
export function sanitizeError(err: unknown, token: string | undefined, depth = 0): UserError {
  if (!(err instanceof UserError)) {
    const msg = err instanceof Error ? err.message : String(err);
    return new ApiError(`Unexpected failure while talking to the VPS.org API: ${redactToken(msg, token)}. This is probably a bug in vpsorg-dns-mcp; please report it.`, { code: 'internal' });
  }
  const r = (s: string) => redactToken(s, token);
  const fields: Record<string, unknown> = { message: r(err.message) };
  if (err.hint !== undefined) fields['hint'] = r(err.hint);
  if (err.details !== undefined) fields['details'] = redactValue(err.details, token);
  if (err.quoted !== undefined) fields['quoted'] = { what: err.quoted.what, lines: err.quoted.lines.map(r) };
  if (err.stack !== undefined) fields['stack'] = r(err.stack);
  Object.assign(err, fields);
  if (err.cause !== undefined) err.cause = redactCause(err.cause, token, depth);
  return err;
}

function redactCause(cause: unknown, token: string | undefined, depth: number): unknown {
  if (depth > 4) return undefined;
  if (cause instanceof UserError) return sanitizeError(cause, token, depth + 1);
  if (cause instanceof Error) {
    const copy = new Error(redactToken(cause.message, token));
    copy.name = cause.name;
    copy.stack = redactToken(cause.stack ?? '', token);
    return copy;
  }
  return redactValue(cause, token);
}
