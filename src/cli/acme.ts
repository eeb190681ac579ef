/**
 * `vpsorg-dns-mcp acme ...`: DNS-01 hooks for the ACME clients people run, all through the code of
 * the `acme_challenge` tool (src/tools/kit/acme-core.ts), so read-only mode, toolsets and the zone
 * allowlist apply here too. Each prints one line on stderr and exits 0 only when the value is in
 * place and every authoritative nameserver address serves it (present), or is gone (cleanup).
 *
 *   certbot-auth | certbot-cleanup          CERTBOT_DOMAIN, CERTBOT_VALIDATION (certbot --manual hooks)
 *   lego present|cleanup FQDN VALUE         lego's exec provider (EXEC_PATH)
 *   lego present|cleanup DOMAIN TOKEN KEYAUTH   the same with EXEC_MODE=RAW (value = base64url SHA-256 of KEYAUTH)
 *   present|cleanup NAME VALUE              any other client (acme.sh's dns_vpsorg.sh)
 */
import { ConfigError, UserError } from '../errors.js';
import type { Env } from '../config.js';
import { redact } from '../log.js';
import { keyAuthDigest } from '../domain/acme.js';
import { laggingText, runAcme, type AcmeRequest } from '../tools/kit/acme-core.js';
import { applyGlobalFlag, emptyArgs, splitFlag, type ParsedArgs } from './args.js';
import { stderrProgress } from './context.js';
import { writeDiagnostic, writeResult } from './output.js';
import { openSession, type CliSession } from './session.js';
import { EXIT } from './report.js';

const USAGE = 'usage: vpsorg-dns-mcp acme certbot-auth|certbot-cleanup | lego present|cleanup FQDN VALUE | lego present|cleanup DOMAIN TOKEN KEY_AUTH (EXEC_MODE=RAW) | present|cleanup NAME VALUE  [--wait-seconds N] [--sandbox --state FILE ...]';

/** `acme --help`: asked-for output, so stdout and exit 0. */
const HELP = `usage: vpsorg-dns-mcp acme HOOK ARGS [--wait-seconds N] [server flags: --sandbox --state FILE, ...]
  certbot-auth | certbot-cleanup       certbot's --manual-auth-hook / --manual-cleanup-hook (reads CERTBOT_DOMAIN, CERTBOT_VALIDATION)
  lego present|cleanup FQDN VALUE      lego's exec provider (EXEC_MODE=RAW: lego present|cleanup DOMAIN TOKEN KEY_AUTH)
  present|cleanup NAME VALUE           any other client: NAME is the name on the certificate
Exit codes: 0 served (present) or removed (cleanup), 1 refused, 2 usage, 3 not served yet, 4 could not check. See docs/certificates.md.`;

class AcmeUsage extends ConfigError {}

function seconds(name: string, text: string | undefined, dflt: number): number {
  if (text === undefined || text.trim() === '') return dflt;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || n > 86_400) throw new AcmeUsage(`${name} must be a number of seconds from 0 to 86400 (got "${text}").`);
  return n;
}

function action(word: string | undefined): AcmeRequest['action'] {
  if (word === 'present' || word === 'cleanup') return word;
  throw new AcmeUsage(`expected present or cleanup, got "${word ?? ''}". ${USAGE}`);
}

/** Splits global flags (--sandbox, --state, --wait-seconds, ...) from the positional words. */
function split(argv: string[]): { words: string[]; globals: ParsedArgs; wait: string | undefined } {
  const globals = emptyArgs();
  const words: string[] = [];
  let wait: string | undefined;
  for (let i = 0; i < argv.length; ) {
    const arg = argv[i] as string;
    const { flag, inline } = splitFlag(arg);
    if (arg === '--') {
      // lego's RAW mode passes `present -- DOMAIN TOKEN KEY_AUTH`: a token may start with '-'.
      words.push(...argv.slice(i + 1));
      break;
    }
    if (flag === '--wait-seconds') {
      wait = inline ?? argv[i + 1];
      i += inline === undefined ? 2 : 1;
    } else if (arg.startsWith('--')) {
      const used = applyGlobalFlag(globals, argv, i);
      if (used === 0) throw new AcmeUsage(`unknown flag "${arg}". ${USAGE}`);
      i += used;
    } else {
      words.push(arg);
      i++;
    }
  }
  return { words, globals, wait };
}

/** The request a hook's words and environment stand for. */
export function acmeRequest(argv: string[], env: Env): { req: AcmeRequest; globals: ParsedArgs } {
  const { words, globals, wait } = split(argv);
  const [hook, ...rest] = words;
  const need = (n: number) => {
    if (rest.length !== n) throw new AcmeUsage(`${hook} takes ${n} arguments, got ${rest.length}. ${USAGE}`);
  };
  if (hook === 'certbot-auth' || hook === 'certbot-cleanup') {
    need(0);
    const domain = env['CERTBOT_DOMAIN'];
    const value = env['CERTBOT_VALIDATION'];
    if (!domain || !value) throw new AcmeUsage('CERTBOT_DOMAIN and CERTBOT_VALIDATION are not set: run this as certbot\'s --manual-auth-hook / --manual-cleanup-hook.');
    const act = hook === 'certbot-auth' ? 'present' : 'cleanup';
    return { req: { action: act, domain, value, waitSeconds: seconds('--wait-seconds', wait, 120) }, globals };
  }
  if (hook === 'lego') {
    const act = action(rest[0]);
    const raw = (env['EXEC_MODE'] ?? '').toUpperCase() === 'RAW';
    need(raw ? 4 : 3);
    const [, name, a, b] = rest as [string, string, string, string?];
    const req: AcmeRequest = {
      action: act,
      domain: name,
      value: raw ? keyAuthDigest(b as string) : a,
      waitSeconds: seconds('EXEC_PROPAGATION_TIMEOUT', wait ?? env['EXEC_PROPAGATION_TIMEOUT'], 60),
    };
    const poll = env['EXEC_POLLING_INTERVAL'];
    if (poll) req.pollIntervalMs = Math.max(100, seconds('EXEC_POLLING_INTERVAL', poll, 2) * 1000);
    return { req, globals };
  }
  const act = action(hook);
  need(2);
  return { req: { action: act, domain: rest[0] as string, value: rest[1] as string, waitSeconds: seconds('--wait-seconds', wait, 120) }, globals };
}

const oneLine = (s: string) => redact(s).replace(/\s*\n\s*/g, ' ');

/** Runs a hook; returns the exit code. */
export async function runAcmeCli(argv: string[], env: Env): Promise<number> {
  // Before `--` only: after it, lego RAW mode passes tokens, which may start with '-'.
  const flags = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  if (flags.includes('--help') || flags.includes('-h')) {
    await writeResult(HELP);
    return EXIT.ok;
  }
  let session: CliSession | undefined;
  try {
    const { req, globals } = acmeRequest(argv, env);
    session = await openSession(globals, env, stderrProgress());
    if (!session.tools.some((t) => t.name === 'acme_challenge')) {
      throw new AcmeUsage(`acme_challenge is not available with this configuration. ${session.notes.join(' ')}`);
    }
    const o = await runAcme(session.ctx, { ...req, pollIntervalMs: req.pollIntervalMs ?? 500 });
    if (o.action === 'present' && !o.served) {
      writeDiagnostic(oneLine(`vpsorg-dns-mcp acme: ${laggingText(o)}`));
      // 3: a server answers without the value; 4: the servers lacking it could not be asked at all.
      return o.servers.some((s) => s.status === 'pending') ? EXIT.notPropagated : EXIT.couldNotCheck;
    }
    const what = o.action === 'present' ? `${o.name} TXT served by all ${o.servers.length} nameserver addresses after ${(o.elapsed_ms / 1000).toFixed(1)} s` : `${o.name} TXT value ${o.changed ? 'removed' : 'not there'}`;
    writeDiagnostic(oneLine(`vpsorg-dns-mcp acme: ${what}${o.notes.length ? ` (${o.notes.join(' ')})` : ''}`));
    return EXIT.ok;
  } catch (err) {
    if (err instanceof ConfigError) {
      writeDiagnostic(oneLine(`vpsorg-dns-mcp acme: ${err.message}`));
      return EXIT.usage;
    }
    if (err instanceof UserError) {
      writeDiagnostic(oneLine(`vpsorg-dns-mcp acme: ${err.message}${err.hint ? ` ${err.hint}` : ''}`));
      return EXIT.toolError;
    }
    throw err;
  } finally {
    await session?.close();
  }
}
