import { ConfigError } from '../errors.js';

export interface ParsedArgs {
  command: 'serve' | 'emulator' | 'call' | 'tools' | 'help' | 'version';
  /** Settings given as flags, as the environment variables they stand for. */
  env: Record<string, string>;
  sandbox: boolean;
  http: boolean;
  host: string | undefined;
  port: number | undefined;
  stateFile: string | undefined;
  /** What follows the subcommand, for subcommands that parse their own flags. */
  rest: string[];
}

// Flags that stand for a setting: the flag wins over the environment.
const SETTING_FLAGS: Record<string, string> = {
  '--api-url': 'VPSORG_API_URL',
  '--nameservers': 'VPSORG_NAMESERVERS',
  '--toolsets': 'VPSORG_TOOLSETS',
  '--allowed-zones': 'VPSORG_ALLOWED_ZONES',
  '--backup-dir': 'VPSORG_BACKUP_DIR',
  '--confirm-mode': 'VPSORG_CONFIRM_MODE',
  '--timeout-ms': 'VPSORG_TIMEOUT_MS',
};

export function parseArgs(argv: string[]): ParsedArgs {
  const out: ParsedArgs = { command: 'serve', env: {}, sandbox: false, http: false, host: undefined, port: undefined, stateFile: undefined, rest: [] };
  const first = argv[0];
  if (first === 'emulator' || first === 'call' || first === 'tools') {
    out.command = first;
    argv = argv.slice(1);
    if (first === 'emulator') {
      out.rest = argv;
      return out;
    }
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new ConfigError(`${flag} needs a value.`);
      return v;
    };
    const envKey = SETTING_FLAGS[flag];
    if (envKey) out.env[envKey] = value();
    else if (flag === '--read-only') out.env['VPSORG_READ_ONLY'] = 'true';
    else if (flag === '--sandbox') out.sandbox = true;
    else if (flag === '--http') out.http = true;
    else if (flag === '--host') out.host = value();
    else if (flag === '--state') out.stateFile = value();
    else if (flag === '--port') {
      const p = Number(value());
      if (!Number.isInteger(p) || p < 0 || p > 65535) throw new ConfigError('--port must be an integer from 0 to 65535.');
      out.port = p;
    } else if (flag === '--help' || flag === '-h') out.command = 'help';
    else if (flag === '--version' || flag === '-v') out.command = 'version';
    else if (out.command === 'call' || out.command === 'tools') out.rest.push(arg);
    else throw new ConfigError(`Unknown argument "${arg}". Run vpsorg-dns-mcp --help.`);
  }
  return out;
}

export const HELP = `vpsorg-dns-mcp: an MCP server for VPS.org DNS

Usage:
  vpsorg-dns-mcp [options]                 serve MCP over stdio (what MCP clients run)
  vpsorg-dns-mcp --sandbox                 the same against a built-in emulator with a demo zone: no account needed
  vpsorg-dns-mcp --http [--host H] [--port N]   serve MCP over Streamable HTTP
  vpsorg-dns-mcp call <tool> [--arg value ...|--json '{...}'] [--text]   run one tool from a shell
  vpsorg-dns-mcp tools                     list the tools and their parameters
  vpsorg-dns-mcp emulator [--port N] [--seed demo]   run the VPS.org API emulator

Options (each also an environment variable):
  --api-url URL          VPSORG_API_URL (default https://admin.vps.org)
  --read-only            VPSORG_READ_ONLY=true: only read tools exist
  --toolsets a,b         VPSORG_TOOLSETS: account,zones,records,bulk,zonefile,propagation,audit
  --allowed-zones a,b    VPSORG_ALLOWED_ZONES: exact zone names or *.suffix
  --nameservers list     VPSORG_NAMESERVERS: host, host:port, ip:port or host=ip:port, comma-separated
  --backup-dir DIR       VPSORG_BACKUP_DIR: where snapshots of deleted data are written
  --state FILE           sandbox/emulator state file (keeps sandbox changes across restarts)
The API token is read from VPSORG_API_TOKEN only (never a flag: flags show up in process lists).
`;
