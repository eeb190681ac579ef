/**
 * Diagnostics go to stderr only: in stdio mode stdout carries nothing but the protocol.
 * Every line passes through the registered redactors, so a secret can't leak through a log.
 */
import { escapeForDisplay } from './domain/display.js';

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const secrets = new Set<string>();
/** Each secret's forms to mask, longest first: a secret holding another must be masked whole, not around the shorter one. */
let forms: Array<[form: string, mask: string]> = [];
let threshold: Level = (process.env['VPSORG_LOG_LEVEL'] as Level | undefined) ?? 'info';
if (!(threshold in ORDER)) threshold = 'info';

/** Registers a secret that must never be printed (the API token, the HTTP key, the confirm secret). */
export function addSecret(secret: string | undefined): void {
  if (!secret || secret.length < 4 || secrets.has(secret)) return;
  secrets.add(secret);
  const mask = secret.startsWith('vps_') ? 'vps_***' : '***';
  // Structured results are redacted as JSON text, where a secret holding `"` or `\` appears escaped.
  const escaped = JSON.stringify(secret).slice(1, -1);
  forms = [...forms, [secret, mask] as [string, string], ...(escaped !== secret ? [[escaped, mask] as [string, string]] : [])].sort((x, y) => y[0].length - x[0].length);
}

/** Replaces every registered secret in `text`. */
export function redact(text: string): string {
  let out = text;
  for (const [form, mask] of forms) out = out.split(form).join(mask);
  return out;
}

function write(level: Level, msg: string): void {
  if (ORDER[level] < ORDER[threshold]) return;
  // Log lines quote request headers and provider text: control bytes (a fake line break, a terminal
  // escape) are shown escaped, so one log line stays one line and cannot drive the terminal.
  process.stderr.write(`[vpsorg-dns-mcp] ${level}: ${escapeForDisplay(redact(msg))}\n`);
}

export const log = {
  debug: (msg: string) => write('debug', msg),
  info: (msg: string) => write('info', msg),
  warn: (msg: string) => write('warn', msg),
  error: (msg: string) => write('error', msg),
  setLevel(level: Level) {
    threshold = level;
  },
};
