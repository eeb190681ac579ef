import { ConfigError, UserError } from './errors.js';
import { isAbsolute, join, resolve } from 'node:path';
import { parseNameservers } from './dns/nameservers.js';

export const TOOLSETS = ['account', 'zones', 'records', 'bulk', 'zonefile', 'propagation', 'audit', 'history', 'acme'] as const;
export type Toolset = (typeof TOOLSETS)[number];
/** A curated set across toolsets: the everyday jobs in the fewest bytes of tool list (tools mark themselves `essential`). */
export const ESSENTIAL = 'essential';
export type ToolsetChoice = Toolset | typeof ESSENTIAL;
/** How a held change is confirmed (src/safety/channel.ts); `both` is read as `auto` (older configs). */
/** `form-first`: as `auto`, with the form ahead of the approval page (clients that declare URL elicitation but do not open pages). */
export type ConfirmMode = 'auto' | 'human' | 'token' | 'elicit' | 'form-first';
export const CONFIRM_MODES: readonly ConfirmMode[] = ['auto', 'human', 'token', 'elicit', 'form-first'];
/** What VPSORG_HUMAN_FOR may name besides operations (tool names): the effect codes of effect.ts. */
export const HUMAN_FOR_EFFECTS = ['delete', 'rename', 'retype', 'value_removed', 'ns', 'blast_radius', 'budget', 'mail_route', 'address_added', 'wildcard', 'caa', 'acme_present', 'authorizes', 'apex', 'all'] as const;

export interface Config {
  apiUrl: string;
  token: string | undefined;
  /** Raw `VPSORG_NAMESERVERS` (parsed by src/dns/nameservers.ts); undefined means the provider's. */
  nameservers: string | undefined;
  readOnly: boolean;
  /** null: every toolset. */
  toolsets: ReadonlySet<ToolsetChoice> | null;
  /** null: every zone. Exact names or `*.suffix`, lowercase, no trailing dot. */
  allowedZones: readonly string[] | null;
  /** VPSORG_CONFIRM_SECRET; without it, once openJournal (history/state.ts) ran, the key kept beside the journal. */
  confirmSecret: string | undefined;
  /** Where confirmSecret came from when it is the key beside the journal, not the setting: for messages. */
  keyFile?: string;
  confirmMode: ConfirmMode;
  /** Operations (tool names) and effect codes (HUMAN_FOR_EFFECTS) that only a human channel may confirm (VPSORG_HUMAN_FOR). */
  humanFor: readonly string[];
  /** Operations and effect codes, as humanFor, whose approval counts only from a second signed-in person (VPSORG_REQUIRE_DISTINCT_APPROVER; safety/approver.ts). */
  requireDistinctApprover: readonly string[];
  backupDir: string | undefined;
  /** Where the change journal lives; undefined: no journal (VPSORG_JOURNAL=off, or no state directory). */
  journalDir: string | undefined;
  /** VPSORG_JOURNAL=off: the operator keeps no history, so results carry no undo receipt either (docs/undo.md). */
  journalOff: boolean;
  /** VPSORG_STATE_URL: a postgres:// URL of the state replicas share (src/state); undefined: this process's memory. */
  stateUrl?: string | undefined;
  httpKey: string | undefined;
  /** HTTP transport: the bearer token /metrics asks for; undefined: no metrics are kept or served. */
  metricsToken: string | undefined;
  timeoutMs: number;
  /** check_delegation: where the walk from the root starts (`host=ip:port` list); null: the real root servers. */
  dnsRoots: string | undefined;
  /** check_delegation: a recursive resolver (`ip:port`) to ask instead of walking from the root. */
  dnsResolver: string | undefined;
  /** The live audit may make outbound HTTPS requests (the MTA-STS policy); off by default. */
  auditHttp: boolean;
  /** VPSORG_PREVIEW_DNS: the loopback address the preview nameserver listens on (port 0: a free one); null: no previews. */
  previewDns: { host: string; port: number } | null;
  /** Ask the provider for the token's permissions at start and leave out tools it cannot use. */
  filterByPermissions: boolean;
  /** The model's `nameservers` may name private addresses and any port (VPSORG_ALLOW_PRIVATE_NAMESERVERS). */
  allowPrivateNameservers: boolean;
  /** The longest an MCP call waits inline (check_propagation's wait_seconds); the rest goes through a resume handle. */
  maxInlineWaitS: number;
  /** The MCP endpoint's public URL (VPSORG_PUBLIC_URL): approval pages, the token audience, the PRM `resource`. */
  publicUrl: URL | undefined;
  /** Read X-Forwarded-Proto for the approval page scheme (VPSORG_TRUST_FORWARDED); off, X-Forwarded-* is ignored. */
  trustForwarded: boolean;
  /** How HTTP callers authenticate (VPSORG_AUTH): the static key, or OAuth 2.1 bearer tokens of an issuer. */
  auth: AuthConfig;
}

export type AuthConfig =
  | { mode: 'key' }
  | {
      mode: 'oauth';
      /** Exactly as configured: a token's `iss` and the metadata's `issuer` must equal it. */
      issuer: string;
      /** The audience a token must name; default the public URL. */
      audience: string;
      clientId: string | undefined;
      clientSecret: string | undefined;
      /** A claim whose values narrow the allowed zones per caller (VPSORG_OAUTH_ZONES_CLAIM). */
      zonesClaim: string | undefined;
      /** The claim that names the person (VPSORG_OAUTH_SUBJECT_CLAIM): `sub`, or Entra's `oid`, where `sub` differs per application. */
      subjectClaim?: string;
      /** What an approver's sign-in asks for (VPSORG_OAUTH_APPROVER_SCOPE): openid and dns.approve, as the issuer spells them. */
      approverScope?: string;
    };

export type Env = Record<string, string | undefined>;

/**
 * MCPB hosts pass an unset optional `user_config` value as the literal `${user_config.x}`,
 * and every value as a string: treat those placeholders and blank strings as unset.
 */
function setting(env: Env, key: string): string | undefined {
  const v = env[key]?.trim();
  if (!v || /^\$\{user_config\.[^}]*\}$/.test(v)) return undefined;
  return v;
}

/** The shared state store: a PostgreSQL connection URL (node-postgres syntax), or unset. */
function stateUrl(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (!/^postgres(ql)?:\/\//i.test(v)) throw new ConfigError('VPSORG_STATE_URL must be a PostgreSQL URL (postgres://user:password@host:5432/database), or unset for the embedded store of one process.');
  try {
    new URL(v);
  } catch {
    throw new ConfigError('VPSORG_STATE_URL is not a valid URL (percent-encode special characters of the password).');
  }
  return v;
}

/** A scraper's token opens /metrics only: it must not be the access key that runs tools, nor a VPS.org token. */
function metricsToken(token: string | undefined, httpKey: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  if (token.length < 16) throw new ConfigError('VPSORG_METRICS_TOKEN must be at least 16 characters (e.g. openssl rand -hex 32).');
  if (token.startsWith('vps_')) throw new ConfigError('VPSORG_METRICS_TOKEN looks like a VPS.org API token (vps_...): use a separate random token for the metrics scraper.');
  if (token === httpKey) throw new ConfigError('VPSORG_METRICS_TOKEN must differ from VPSORG_MCP_HTTP_KEY: the scraper\'s token must not be able to call tools.');
  return token;
}

function bool(key: string, v: string | undefined, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw new ConfigError(`${key} must be true or false (got "${v}").`);
}

function list(v: string | undefined): string[] | null {
  if (v === undefined) return null;
  const items = v.split(',').map((s) => s.trim()).filter(Boolean);
  return items.length ? items : null;
}

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** `allowHttp`: VPSORG_ALLOW_HTTP_API; without it plain http:// is for loopback (tests, the emulator) only. */
function apiUrl(v: string | undefined, allowHttp: boolean): string {
  const raw = v ?? 'https://admin.vps.org';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`VPSORG_API_URL is not a URL: "${raw}". Example: https://admin.vps.org`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(`VPSORG_API_URL must be http(s): "${raw}".`);
  if (url.protocol === 'http:' && !allowHttp && !LOOPBACK_HOST.test(url.hostname)) {
    throw new ConfigError(`VPSORG_API_URL "${raw}" is plain http:// to ${url.hostname}: the API token would cross the network unencrypted. Use https://, or set VPSORG_ALLOW_HTTP_API=true if this network is trusted.`);
  }
  if (url.username || url.password) throw new ConfigError('VPSORG_API_URL must not carry credentials; set VPSORG_API_TOKEN instead.');
  if (url.search || url.hash) throw new ConfigError('VPSORG_API_URL must not have a query or fragment.');
  // The client appends /api/v1/...; accept a URL that already ends with it.
  return url.toString().replace(/\/+$/, '').replace(/\/api\/v1$/, '');
}

function zonePattern(p: string): string {
  const z = p.toLowerCase().replace(/\.$/, '');
  if (!/^(\*\.)?([a-z0-9_-]+\.)*[a-z0-9-]+$/.test(z)) {
    throw new ConfigError(`VPSORG_ALLOWED_ZONES: "${p}" is not a zone name or a *.suffix pattern (e.g. example.com,*.example.org).`);
  }
  return z;
}

/** A nameserver-list setting, checked now so a typo stops the server at start, not mid-check. */
function checkedNsList(env: Env, key: string): string | undefined {
  const v = setting(env, key);
  if (v === undefined) return undefined;
  try {
    parseNameservers(v);
  } catch (err) {
    throw new ConfigError(`${key}: ${err instanceof UserError ? `${err.message}. ${err.hint ?? ''}` : String(err)}`);
  }
  return v;
}

/**
 * The journal's directory: VPSORG_JOURNAL_DIR, else the user's state directory (XDG base
 * directories). Only the given environment is read, never the password database, so a process
 * started without HOME (a test, a service) keeps no journal rather than one in a surprising place.
 */
function journalDir(env: Env): string | undefined {
  if (!bool('VPSORG_JOURNAL', setting(env, 'VPSORG_JOURNAL'), true)) return undefined;
  const dir = setting(env, 'VPSORG_JOURNAL_DIR');
  if (dir) return resolve(dir);
  const state = setting(env, 'XDG_STATE_HOME');
  if (state && isAbsolute(state)) return join(state, 'vpsorg-dns-mcp');
  const home = setting(env, 'HOME');
  return home && isAbsolute(home) ? join(home, '.local', 'state', 'vpsorg-dns-mcp') : undefined;
}

/**
 * The sandbox keeps its journal (and key) in a folder of its own, so its demo changes to
 * example.com never show up among a real account's changes, nor its receipts undo them.
 */
export function forSandbox(config: Config): Config {
  return config.journalDir ? { ...config, journalDir: join(config.journalDir, 'sandbox') } : config;
}

/** An http(s) URL setting with no credentials, query or fragment; plain http only on loopback. */
function urlSetting(key: string, raw: string, example: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${key} is not a URL: "${raw}". Example: ${example}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(`${key} must be https:// (got "${raw}"). Example: ${example}`);
  if (url.protocol === 'http:' && !LOOPBACK_HOST.test(url.hostname)) throw new ConfigError(`${key} "${raw}" is plain http:// to ${url.hostname}: browsers and tokens would cross the network unencrypted. Use https:// (plain http is for loopback only).`);
  if (url.username || url.password || url.search || url.hash) throw new ConfigError(`${key} must not carry credentials, a query or a fragment (got "${raw}").`);
  return url;
}

/** VPSORG_PUBLIC_URL: the MCP endpoint as clients reach it; a bare origin means its /mcp. */
function publicUrl(env: Env): URL | undefined {
  const raw = setting(env, 'VPSORG_PUBLIC_URL');
  if (raw === undefined) return undefined;
  const url = urlSetting('VPSORG_PUBLIC_URL', raw, 'https://dns.example.com/mcp');
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/mcp';
  return url;
}

function authConfig(env: Env, pub: URL | undefined): AuthConfig {
  const mode = (setting(env, 'VPSORG_AUTH') ?? 'key').toLowerCase();
  if (mode === 'key') return { mode: 'key' };
  if (mode !== 'oauth') throw new ConfigError(`VPSORG_AUTH must be key (the static VPSORG_MCP_HTTP_KEY, the default) or oauth (got "${mode}").`);
  const issuer = setting(env, 'VPSORG_OAUTH_ISSUER');
  if (!issuer) throw new ConfigError('VPSORG_AUTH=oauth needs VPSORG_OAUTH_ISSUER: the authorization server\'s issuer URL (e.g. https://login.example.com/realms/dns). Its metadata and keys are discovered from it.');
  if (!pub) throw new ConfigError('VPSORG_AUTH=oauth needs VPSORG_PUBLIC_URL: the MCP endpoint\'s public URL (e.g. https://dns.example.com/mcp). Tokens must be issued for it; request headers are never trusted for it.');
  return {
    mode: 'oauth',
    issuer: (urlSetting('VPSORG_OAUTH_ISSUER', issuer, 'https://login.example.com/realms/dns'), issuer),
    audience: setting(env, 'VPSORG_OAUTH_AUDIENCE') ?? pub.href,
    clientId: setting(env, 'VPSORG_OAUTH_CLIENT_ID'),
    clientSecret: setting(env, 'VPSORG_OAUTH_CLIENT_SECRET'),
    zonesClaim: setting(env, 'VPSORG_OAUTH_ZONES_CLAIM'),
    subjectClaim: setting(env, 'VPSORG_OAUTH_SUBJECT_CLAIM') ?? 'sub',
    approverScope: setting(env, 'VPSORG_OAUTH_APPROVER_SCOPE') ?? 'openid dns.approve',
  };
}

/**
 * VPSORG_PREVIEW_DNS: loopback only. The preview nameserver answers from plans nobody applied
 * yet and has no rate limits: it is for dig and the checks on this machine, not for the network.
 */
function previewDns(v: string | undefined): Config['previewDns'] {
  if (v === undefined || /^off$/i.test(v)) return null;
  const m = /^(127(?:\.\d{1,3}){3}|\[::1\]|localhost):(\d{1,5})$/i.exec(v);
  const port = Number(m?.[2]);
  if (!m || port > 65535) throw new ConfigError(`VPSORG_PREVIEW_DNS must be off or a loopback address and port (e.g. 127.0.0.1:0 for a free port, or 127.0.0.1:5353; got "${v}").`);
  const host = (m[1] as string).toLowerCase();
  return { host: host === 'localhost' ? '127.0.0.1' : host === '[::1]' ? '::1' : host, port };
}

/** Builds the configuration from the environment. Throws ConfigError; never exits. */
export function loadConfig(env: Env): Config {
  const toolsets = list(setting(env, 'VPSORG_TOOLSETS'));
  for (const t of toolsets ?? []) {
    if (t !== ESSENTIAL && !(TOOLSETS as readonly string[]).includes(t)) {
      throw new ConfigError(`VPSORG_TOOLSETS: unknown toolset "${t}". Known: ${ESSENTIAL}, ${TOOLSETS.join(', ')}.`);
    }
  }
  const rawMode = (setting(env, 'VPSORG_CONFIRM_MODE') ?? 'auto').toLowerCase();
  const mode = rawMode === 'both' ? 'auto' : (rawMode as ConfirmMode);
  if (!CONFIRM_MODES.includes(mode)) {
    throw new ConfigError(`VPSORG_CONFIRM_MODE must be auto, human, token, elicit or form-first (got "${rawMode}"; both is read as auto).`);
  }
  // Operations and effect codes, as VPSORG_HUMAN_FOR names them (checked against the tools in src/safety/channel.ts).
  const opList = (key: string) => {
    const items = (list(setting(env, key)) ?? []).map((h) => h.toLowerCase());
    for (const h of items) {
      if (!/^[a-z][a-z0-9_]*$/.test(h)) {
        throw new ConfigError(`${key}: "${h}" is neither an operation (a tool name such as delete_zone) nor an effect (${HUMAN_FOR_EFFECTS.join(', ')}). Example: delete_zone,ns`);
      }
    }
    return items;
  };
  const humanFor = opList('VPSORG_HUMAN_FOR');
  const requireDistinctApprover = opList('VPSORG_REQUIRE_DISTINCT_APPROVER');
  const pub = publicUrl(env);
  const timeout = setting(env, 'VPSORG_TIMEOUT_MS');
  const timeoutMs = timeout === undefined ? 15_000 : Number(timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 600_000) {
    throw new ConfigError(`VPSORG_TIMEOUT_MS must be an integer from 100 to 600000 (got "${timeout}").`);
  }
  const inline = setting(env, 'VPSORG_MAX_INLINE_WAIT_S');
  const maxInlineWaitS = inline === undefined ? 45 : Number(inline);
  if (!Number.isInteger(maxInlineWaitS) || maxInlineWaitS < 1 || maxInlineWaitS > 600) {
    throw new ConfigError(`VPSORG_MAX_INLINE_WAIT_S must be an integer from 1 to 600 seconds (got "${inline}").`);
  }
  const secret = setting(env, 'VPSORG_CONFIRM_SECRET');
  if (secret !== undefined && secret.length < 16) {
    throw new ConfigError('VPSORG_CONFIRM_SECRET must be at least 16 characters (it keys the confirmation tokens).');
  }
  const nameservers = checkedNsList(env, 'VPSORG_NAMESERVERS');
  return {
    apiUrl: apiUrl(setting(env, 'VPSORG_API_URL'), bool('VPSORG_ALLOW_HTTP_API', setting(env, 'VPSORG_ALLOW_HTTP_API'), false)),
    token: setting(env, 'VPSORG_API_TOKEN'),
    nameservers,
    dnsRoots: checkedNsList(env, 'VPSORG_DNS_ROOTS'),
    dnsResolver: checkedNsList(env, 'VPSORG_DNS_RESOLVER'),
    auditHttp: bool('VPSORG_AUDIT_HTTP', setting(env, 'VPSORG_AUDIT_HTTP'), false),
    readOnly: bool('VPSORG_READ_ONLY', setting(env, 'VPSORG_READ_ONLY'), false),
    toolsets: toolsets ? new Set(toolsets as ToolsetChoice[]) : null,
    allowedZones: list(setting(env, 'VPSORG_ALLOWED_ZONES'))?.map(zonePattern) ?? null,
    confirmSecret: secret,
    confirmMode: mode,
    humanFor,
    requireDistinctApprover,
    backupDir: setting(env, 'VPSORG_BACKUP_DIR'),
    journalDir: journalDir(env),
    journalOff: !bool('VPSORG_JOURNAL', setting(env, 'VPSORG_JOURNAL'), true),
    stateUrl: stateUrl(setting(env, 'VPSORG_STATE_URL')),
    httpKey: setting(env, 'VPSORG_MCP_HTTP_KEY'),
    metricsToken: metricsToken(setting(env, 'VPSORG_METRICS_TOKEN'), setting(env, 'VPSORG_MCP_HTTP_KEY')),
    timeoutMs,
    maxInlineWaitS,
    previewDns: previewDns(setting(env, 'VPSORG_PREVIEW_DNS')),
    filterByPermissions: bool('VPSORG_FILTER_BY_PERMISSIONS', setting(env, 'VPSORG_FILTER_BY_PERMISSIONS'), false),
    allowPrivateNameservers: bool('VPSORG_ALLOW_PRIVATE_NAMESERVERS', setting(env, 'VPSORG_ALLOW_PRIVATE_NAMESERVERS'), false),
    publicUrl: pub,
    trustForwarded: bool('VPSORG_TRUST_FORWARDED', setting(env, 'VPSORG_TRUST_FORWARDED'), false),
    auth: authConfig(env, pub),
  };
}
