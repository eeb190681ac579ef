import { PERMISSIONS } from '../api/types.js';
import { DEFAULT_TEST_TOKEN } from './accounts.js';
import { startEmulator } from './index.js';
import type { EmulatorOptions, EmulatorToken } from './types.js';

export const EMULATOR_USAGE = `Usage: vpsorg-dns-mcp emulator [options]

Runs the VPS.org DNS API emulator on this machine until Ctrl-C.

Options:
  --port N           port to listen on (default 8788; 0 picks a free one)
  --host H           address to bind (default 127.0.0.1)
  --page-size N      answer lists as DRF pages of N items (default: bare arrays)
  --state FILE       load state from FILE if it exists and save every change to it
  --seed demo|empty  start with a demo example.com zone, or empty (default)
  --token TOKEN      accept this token (repeatable). TOKEN=perm,perm limits its permissions,
                     e.g. --token vps_readonly=dns:list (default ${DEFAULT_TEST_TOKEN}, all permissions)
  --latency-ms N     delay every answer by N milliseconds
  --help             show this help
`;

function intFlag(flag: string, text: string | undefined, min: number, max: number): number {
  const n = text !== undefined && /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) throw new Error(`${flag} needs an integer from ${min} to ${max}, got ${JSON.stringify(text ?? '')}`);
  return n;
}

function parseToken(text: string | undefined): EmulatorToken {
  const [token = '', perms] = (text ?? '').split('=', 2);
  if (!token.startsWith('vps_')) throw new Error(`--token needs a token starting with vps_ (the provider's format), got ${JSON.stringify(token)}`);
  const permissions = perms === undefined ? [...PERMISSIONS] : perms.split(',').filter(Boolean);
  const unknown = permissions.filter((p) => !(PERMISSIONS as readonly string[]).includes(p));
  if (unknown.length) throw new Error(`--token ${token}: unknown permission(s) ${unknown.join(', ')}; known: ${PERMISSIONS.join(', ')}`);
  return { token, permissions, name: 'emulator cli token' };
}

/** Parses the emulator's flags; undefined means --help was asked for. Throws an Error on a bad flag. */
export function parseEmulatorArgs(argv: string[]): (EmulatorOptions & { port: number }) | undefined {
  const opts: EmulatorOptions & { port: number } = { port: 8788 };
  const tokens: EmulatorToken[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return undefined;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string | undefined => (flag !== arg ? arg.slice(eq + 1) : argv[++i]);
    switch (flag) {
      case '--port': opts.port = intFlag(flag, value(), 0, 65535); break;
      case '--host': opts.host = value() || '127.0.0.1'; break;
      case '--page-size': opts.pageSize = intFlag(flag, value(), 1, 10000); break;
      case '--latency-ms': opts.latencyMs = intFlag(flag, value(), 0, 600000); break;
      case '--state': {
        const file = value();
        if (!file) throw new Error('--state needs a file path');
        opts.stateFile = file;
        break;
      }
      case '--seed': {
        const seed = value();
        if (seed !== 'demo' && seed !== 'empty') throw new Error(`--seed must be demo or empty, got ${JSON.stringify(seed ?? '')}`);
        opts.seed = seed;
        break;
      }
      case '--token': tokens.push(parseToken(value())); break;
      default: throw new Error(`Unknown emulator option ${JSON.stringify(arg)}. Run "vpsorg-dns-mcp emulator --help" for the options.`);
    }
  }
  if (tokens.length) opts.tokens = tokens;
  return opts;
}

/** `vpsorg-dns-mcp emulator ...`: runs until SIGINT/SIGTERM, then closes. Never exits the process itself. */
export async function runEmulatorCli(argv: string[]): Promise<void> {
  const opts = parseEmulatorArgs(argv);
  if (!opts) {
    process.stderr.write(EMULATOR_USAGE);
    return;
  }
  const emulator = await startEmulator(opts);
  const tokens = opts.tokens ?? [{ token: DEFAULT_TEST_TOKEN, permissions: [...PERMISSIONS] }];
  const lines = [
    `VPS.org API emulator listening on ${emulator.url}/api/v1/`,
    ...tokens.map((t) => `  token ${t.token} (${t.permissions.join(', ') || 'no permissions'})`),
    opts.stateFile ? `  state saved to ${opts.stateFile}` : '  state kept in memory only (use --state FILE to keep it)',
    'Point the MCP server at it with:',
    `  VPSORG_API_URL=${emulator.url} VPSORG_API_TOKEN=${tokens[0]?.token ?? DEFAULT_TEST_TOKEN}`,
    'Press Ctrl-C to stop.',
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await emulator.close();
  process.stderr.write('Emulator stopped.\n');
}
