/**
 * The HTTP transport's gates, in order: Host, Origin (DNS-rebinding protection: a web page that
 * rebinds its own name to 127.0.0.1 still sends its own Host and Origin), then the access key.
 * The access key is this server's own; the VPS.org token never crosses this boundary in either
 * direction (MCP spec, security best practices: no token passthrough).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { localhostAllowedHostnames, validateHostHeader, validateOriginHeader } from '@modelcontextprotocol/server';
import { ConfigError } from '../errors.js';

export interface HttpSecurity {
  host: string;
  /** null: no key needed (only allowed on loopback). */
  key: string | null;
  /** Host/Origin hostnames accepted (port-agnostic; IPv6 in brackets). */
  allowedHostnames: string[];
}

export interface GuardFailure {
  status: 401 | 403;
  message: string;
  headers?: Record<string, string>;
}

const MIN_KEY_LENGTH = 16;

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h);
}

const isWildcard = (host: string) => ['0.0.0.0', '::', '[::]'].includes(host);
const bracket = (host: string) => (isIP(host) === 6 ? `[${host}]` : host.toLowerCase());

/**
 * Decides the security settings at start-up, refusing the unsafe ones: no key off loopback,
 * --no-http-auth off loopback, a wildcard bind without the names clients will use.
 */
export function httpSecurity(opts: { host: string; key: string | undefined; auth: boolean; allowedHosts?: readonly string[] | undefined; oauth?: boolean }): HttpSecurity {
  const loopback = isLoopback(opts.host);
  if (opts.oauth) {
    if (!opts.auth) throw new ConfigError('--no-http-auth and VPSORG_AUTH=oauth contradict each other: leave out --no-http-auth (tokens are checked), or unset VPSORG_AUTH.');
    // Bearer tokens of the issuer are checked by the resource server (auth/resource.ts); the static key is not used.
    return { host: opts.host, key: null, allowedHostnames: allowedNames(opts.host, opts.allowedHosts) };
  }
  if (!opts.auth && !loopback) {
    throw new ConfigError(`--no-http-auth is only allowed on a loopback address (127.0.0.1, ::1, localhost), not ${opts.host}: anyone who can reach ${opts.host} could change your DNS.`);
  }
  if (opts.auth && !opts.key) {
    throw new ConfigError(
      loopback
        ? 'The HTTP transport needs an access key: set VPSORG_MCP_HTTP_KEY (e.g. openssl rand -hex 32) and send it as Authorization: Bearer <key>, or pass --no-http-auth to run without one on loopback.'
        : `Refusing to listen on ${opts.host} without an access key: set VPSORG_MCP_HTTP_KEY (e.g. openssl rand -hex 32).`,
    );
  }
  if (opts.auth && opts.key && opts.key.length < MIN_KEY_LENGTH) {
    throw new ConfigError(`VPSORG_MCP_HTTP_KEY must be at least ${MIN_KEY_LENGTH} characters (e.g. openssl rand -hex 32).`);
  }
  if (opts.auth && opts.key?.startsWith('vps_')) {
    throw new ConfigError('VPSORG_MCP_HTTP_KEY looks like a VPS.org API token (vps_...). Use a separate random key for HTTP clients: the API token stays with the server.');
  }
  return { host: opts.host, key: opts.auth ? (opts.key ?? null) : null, allowedHostnames: allowedNames(opts.host, opts.allowedHosts) };
}

function allowedNames(host: string, allowedHosts: readonly string[] | undefined): string[] {
  const extra = (allowedHosts ?? []).map(bracket);
  if (isWildcard(host) && extra.length === 0) {
    throw new ConfigError(`Listening on ${host} needs --allowed-hosts (or VPSORG_MCP_ALLOWED_HOSTS): the host names clients use to reach this server, so that other Host headers can be refused.`);
  }
  const own = isWildcard(host) ? [] : [bracket(host)];
  return [...new Set([...localhostAllowedHostnames(), ...own, ...extra])];
}

/** Whether an Authorization header carries exactly `Bearer <key>` (compared in constant time). */
export function bearerIs(authorization: string | undefined, key: string): boolean {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
  return m !== null && sameKey(m[1] as string, key);
}

/** Constant-time comparison: hashing first makes both sides the same length, so length does not leak either. */
function sameKey(given: string, key: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(key).digest();
  return timingSafeEqual(a, b);
}

/** The Host and Origin gates alone (DNS-rebinding protection): for the approval page too, which a browser opens without the access key. */
export function checkOrigin(sec: Pick<HttpSecurity, 'allowedHostnames'>, headers: { host?: string | undefined; origin?: string | undefined }): GuardFailure | null {
  const host = validateHostHeader(headers.host, sec.allowedHostnames);
  if (!host.ok) return { status: 403, message: `${host.message}. This server only answers requests addressed to ${sec.allowedHostnames.join(', ')} (DNS-rebinding protection).` };
  const origin = validateOriginHeader(headers.origin, sec.allowedHostnames);
  if (!origin.ok) return { status: 403, message: `${origin.message}. Browser requests from other origins are refused (DNS-rebinding protection).` };
  return null;
}

/** Checks one request's headers; null when it may proceed. */
export function checkRequest(sec: HttpSecurity, headers: { host?: string | undefined; origin?: string | undefined; authorization?: string | undefined }): GuardFailure | null {
  const failed = checkOrigin(sec, headers);
  if (failed) return failed;
  if (sec.key === null) return null;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(headers.authorization ?? '');
  const challenge = { 'WWW-Authenticate': 'Bearer realm="vpsorg-dns-mcp"' };
  if (!m) return { status: 401, headers: challenge, message: 'Missing access key: send Authorization: Bearer <VPSORG_MCP_HTTP_KEY>.' };
  if (!sameKey(m[1] as string, sec.key)) {
    const hint = (m[1] as string).startsWith('vps_') ? ' That is a VPS.org API token: never send it to this server; it uses its own token. Send the server\'s access key instead.' : '';
    return { status: 401, headers: challenge, message: `Wrong access key: send Authorization: Bearer <VPSORG_MCP_HTTP_KEY>.${hint}` };
  }
  return null;
}
