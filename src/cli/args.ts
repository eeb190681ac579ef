import { ConfigError } from '../errors.js';

export interface ParsedArgs {
  command: 'serve' | 'emulator' | 'call' | 'tools' | 'journal' | 'acme' | 'plan' | 'apply' | 'export' | 'help' | 'version';
  /** Settings given as flags, as the environment variables they stand for. */
  env: Record<string, string>;
  sandbox: boolean;
  http: boolean;
  host: string | undefined;
  port: number | undefined;
  stateFile: string | undefined;
  /** Sandbox: publish delays of ns1, ns2 (ms). */
  publishDelayMs: number[] | undefined;
  /** Sandbox: UDP+TCP ports of ns1, ns2. */
  dnsPorts: number[] | undefined;
  /** false with --no-http-auth (loopback only). */
  httpAuth: boolean;
  /** Extra Host/Origin hostnames the HTTP transport accepts. */
  allowedHosts: string[] | undefined;
  /** For `call`/`tools`: their own arguments, unparsed (they know the tool's parameters). */
  rest: string[];
}

// Flags that stand for a setting: the flag wins over the environment.
const SETTING_FLAGS: Record<string, string> = {
  '--api-url': 'VPSORG_API_URL',
  '--nameservers': 'VPSORG_NAMESERVERS',
  '--toolsets': 'VPSORG_TOOLSETS',
  '--allowed-zones': 'VPSORG_ALLOWED_ZONES',
  '--backup-dir': 'VPSORG_BACKUP_DIR',
  '--journal-dir': 'VPSORG_JOURNAL_DIR',
  '--confirm-mode': 'VPSORG_CONFIRM_MODE',
  '--human-for': 'VPSORG_HUMAN_FOR',
  '--timeout-ms': 'VPSORG_TIMEOUT_MS',
};

function intList(flag: string, text: string, max: number): number[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.length < 1 || items.length > 2 || items.some((s) => !/^\d+$/.test(s) || Number(s) > max)) {
    throw new ConfigError(`${flag} takes one or two integers from 0 to ${max}, comma-separated (got "${text}").`);
  }
  return items.map(Number);
}

/** Splits `--flag=value`; the value of `--flag value` is read lazily (it may not be one). */
export function splitFlag(arg: string): { flag: string; inline: string | undefined } {
  const eq = arg.indexOf('=');
  return arg.startsWith('--') && eq > 0 ? { flag: arg.slice(0, eq), inline: arg.slice(eq + 1) } : { flag: arg, inline: undefined };
}

/**
 * Applies the global flag at argv[i] to `out`. Returns how many items it used, 0 when argv[i]
 * is not a global flag (the caller decides whether that is an error).
 */
export function applyGlobalFlag(out: ParsedArgs, argv: string[], i: number): number {
  const { flag, inline } = splitFlag(argv[i] as string);
  let used = 1;
  const value = (): string => {
    if (inline !== undefined) return inline;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new ConfigError(`${flag} needs a value.`);
    used = 2;
    return v;
  };
  const envKey = SETTING_FLAGS[flag];
  if (envKey) out.env[envKey] = value();
  else if (flag === '--read-only') out.env['VPSORG_READ_ONLY'] = 'true';
  else if (flag === '--sandbox') out.sandbox = true;
  else if (flag === '--http') out.http = true;
  else if (flag === '--no-http-auth') out.httpAuth = false;
  else if (flag === '--host') out.host = value();
  else if (flag === '--state') out.stateFile = value();
  else if (flag === '--allowed-hosts') out.allowedHosts = value().split(',').map((s) => s.trim()).filter(Boolean);
  else if (flag === '--publish-delay-ms') {
    const list = intList(flag, value(), 600_000);
    // One number is the lagging secondary's delay (ns2); ns1 stays instant.
    out.publishDelayMs = list.length === 1 ? [0, list[0] as number] : list;
  } else if (flag === '--dns-ports') out.dnsPorts = intList(flag, value(), 65535);
  else if (flag === '--port') {
    const p = Number(value());
    if (!Number.isInteger(p) || p < 0 || p > 65535) throw new ConfigError('--port must be an integer from 0 to 65535.');
    out.port = p;
  } else return 0;
  return used;
}

/** The sandbox's own flags do nothing without it: refused rather than ignored (a state file that is never written). */
export function checkSandboxFlags(args: ParsedArgs): ParsedArgs {
  if (args.sandbox) return args;
  const given = [args.stateFile !== undefined && '--state', args.publishDelayMs && '--publish-delay-ms', args.dnsPorts && '--dns-ports'].filter((f): f is string => typeof f === 'string');
  if (given.length) throw new ConfigError(`${given.join(', ')} only work${given.length === 1 ? 's' : ''} with --sandbox (the built-in emulator and nameservers). Add --sandbox, or leave ${given.length === 1 ? 'it' : 'them'} out.`);
  return args;
}

export function emptyArgs(): ParsedArgs {
  return { command: 'serve', env: {}, sandbox: false, http: false, host: undefined, port: undefined, stateFile: undefined, publishDelayMs: undefined, dnsPorts: undefined, httpAuth: true, allowedHosts: undefined, rest: [] };
}

export function parseArgs(argv: string[]): ParsedArgs {
  const out = emptyArgs();
  const first = argv[0];
  if (first === 'emulator' || first === 'call' || first === 'tools' || first === 'journal' || first === 'acme' || first === 'plan' || first === 'apply' || first === 'export') {
    out.command = first;
    // Subcommands parse their own arguments: `call` must know the tool's parameters first.
    out.rest = argv.slice(1);
    return out;
  }
  // Shorthands for the history tools: `changes [--zone Z]` and `undo CHANGE_ID [--dry-run]`.
  if (first === 'changes') return { ...out, command: 'call', rest: ['list_changes', '--text', ...argv.slice(1)] };
  if (first === 'undo') {
    const id = argv[1];
    if (id === undefined || id.startsWith('-')) throw new ConfigError('undo needs a change id: vpsorg-dns-mcp undo CHANGE_ID [--dry-run] (vpsorg-dns-mcp changes lists them).');
    return { ...out, command: 'call', rest: ['undo_change', '--change_id', id, '--text', ...argv.slice(2)] };
  }
  for (let i = 0; i < argv.length; ) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') out.command = 'help';
    else if (arg === '--version' || arg === '-v') out.command = 'version';
    else {
      const used = applyGlobalFlag(out, argv, i);
      if (used === 0) throw new ConfigError(`Unknown argument "${arg}". Run vpsorg-dns-mcp --help.`);
      i += used;
      continue;
    }
    i++;
  }
  return checkSandboxFlags(out);
}

export const HELP = `vpsorg-dns-mcp: an MCP server for VPS.org DNS

Usage:
  vpsorg-dns-mcp [options]                 serve MCP over stdio (what MCP clients run)
  vpsorg-dns-mcp --sandbox                 the same against a built-in emulator with a demo zone and
                                           two nameservers on loopback: no account needed
  vpsorg-dns-mcp --http [--host H] [--port N]   serve MCP over Streamable HTTP (stateless) at /mcp
  vpsorg-dns-mcp call <tool> [--param value ...|--json '{...}'] [--text]   run one tool from a shell
  vpsorg-dns-mcp tools [--json]            list the tools and their parameters
  vpsorg-dns-mcp changes [--zone Z] [--limit N]   recent changes from the journal, newest first
  vpsorg-dns-mcp undo CHANGE_ID [--dry-run]        take a change back (undo_change)
  vpsorg-dns-mcp journal verify [--sandbox]   check the journal's chain and receipts (exit 1 if broken)
  vpsorg-dns-mcp journal import PATH       copy a file journal (its folder or a file) into the shared
                                           one of VPSORG_STATE_URL, once (docs/team.md)
  vpsorg-dns-mcp acme certbot-auth|certbot-cleanup | lego present|cleanup ARGS...
                                           DNS-01 hooks for certbot, lego and acme.sh (docs/certificates.md)
  vpsorg-dns-mcp emulator [--port N] [--seed demo]   run the VPS.org API emulator
  vpsorg-dns-mcp plan|apply|export ...     DNS as code: zone files in a repository (below)

Options (settings are also environment variables):
  --api-url URL          VPSORG_API_URL (default https://admin.vps.org)
  --read-only            VPSORG_READ_ONLY=true: only read tools exist
  --toolsets a,b         VPSORG_TOOLSETS: essential, or account,zones,records,bulk,zonefile,propagation,audit,history,acme
  --allowed-zones a,b    VPSORG_ALLOWED_ZONES: exact zone names or *.suffix
  --nameservers list     VPSORG_NAMESERVERS: host, host:port, ip:port or host=ip:port, comma-separated
  --backup-dir DIR       VPSORG_BACKUP_DIR: where snapshots of deleted data are written
  --journal-dir DIR      VPSORG_JOURNAL_DIR: where the change journal is kept
  --confirm-mode M       VPSORG_CONFIRM_MODE: auto (default), human, token, elicit or form-first
  --human-for LIST       VPSORG_HUMAN_FOR: operations/effects only a person may confirm (delete_zone,ns)
  --timeout-ms N         VPSORG_TIMEOUT_MS: per API request

Sandbox:
  --state FILE           keep the sandbox's (or emulator's) state in FILE across restarts
  --publish-delay-ms N   ns2 serves a change N ms after it is made (default 2000; ns1: 0);
                         "A,B" sets ns1 and ns2
  --dns-ports P1,P2      ports of the two nameservers (default: free ports)

HTTP:
  --host H               address to bind (default 127.0.0.1)
  --port N               port (default 8787; 0 picks a free one)
  --allowed-hosts a,b    more Host/Origin names to accept (VPSORG_MCP_ALLOWED_HOSTS); needed
                         when binding a wildcard address such as 0.0.0.0
  --no-http-auth         no access key (allowed on a loopback address only)
  Clients send Authorization: Bearer <VPSORG_MCP_HTTP_KEY>. It is this server's own access key:
  the server uses its own VPSORG_API_TOKEN and never takes or forwards a client's VPS.org token.

call:
  Parameters as flags: --zone example.com --ttl 300 (numbers and booleans per the tool's schema;
  --record-type and --record_type are the same; repeat a flag for a list), or --json '{...}'.
  Prints the structured result as JSON on stdout (--text: the text rendering).
  Deletes take two calls: the first prints the preview and a confirm_token, the second passes
  --confirm-token TOKEN. Or one call with --approve-in-browser: it prints a one-time approval page
  (on 127.0.0.1) on stderr, waits for the click (up to 5 minutes), and applies the change only on
  Approve. Add --sandbox to run against a fresh sandbox.

DNS as code (docs/dns-as-code.md):
  plan  (--zone-file FILE [--zone Z] | --dir DIR) [--format text|markdown|json]
        [--against FILE|DIR] [--expect-no-changes] [--protect GLOBS] [--ignore GLOBS]
        what apply would do (a sync: the zone ends up as its file), the gate's findings, the
        audit findings it adds, and the plan digest. --against: compare with a committed export
        instead of the live zone (no token, no network). Markdown carries a marker comment.
  apply (same inputs) --checksum DIGEST [--confirm delete,ns,...] [--approve-in-browser]
        applies only if the plan computed now has the reviewed digest; changes the gate holds
        need --confirm naming each effect code, or a person's click in the browser.
  export --dir DIR [--zone a,b]   every zone as DIR/<zone>.zone, in the form plan reads
  By default _acme-challenge records and what an external-dns heritage TXT marks are never
  deleted or changed (protected); DIR/vpsorg-dns.json may add {"protect": [...], "ignore": [...]}.

Exit codes (call, plan, apply, export):
  0  success
  1  the tool reported an error (on stderr)
  2  usage or configuration error: unknown or missing flag, a value of the wrong type or out of
     range, an invalid setting, no API token; nothing was sent
  3  not propagated: a nameserver does not serve the expected data yet (check_propagation,
     also after --wait-seconds N ran out)
  4  could not check: no nameserver that was asked gave a usable answer (errors, timeouts)
  5  confirmation needed: nothing was changed; the preview and confirm_token are on stdout
  6  not permitted: the API token lacks a permission the change needs; nothing was changed
  7  not approved (--approve-in-browser): declined on the page, or it expired; nothing was changed
  8  drift (plan --expect-no-changes): the zones differ from their files; the plan is on stdout
  9  plan changed (apply --checksum): the plan computed now is not the reviewed one; nothing was sent

The API token is read from VPSORG_API_TOKEN only (never a flag: flags show up in process lists).
`;
