/**
 * Token redaction for anything the API layer puts into a message, a `cause`, details or a log line.
 * The token is a bearer credential: whoever reads it owns the account's DNS.
 */
const MASK = 'vps_***';

/** Replaces every occurrence of `token` (raw or URL-encoded) and any `Bearer …` credential in `text`. */
export function redactToken(text: string, token: string | undefined): string {
  let out = text;
  if (token && token.length >= 4) {
    for (const form of new Set([token, encodeURIComponent(token)])) out = out.split(form).join(MASK);
  }
  // Belt and braces: a header dump from a lower layer must not carry any bearer credential.
  return out.replace(/\bBearer\s+[^\s"',;]+/gi, 'Bearer ***');
}

/** Deep copy of plain data with every string redacted (for error `details`). */
export function redactValue(value: unknown, token: string | undefined, depth = 0): unknown {
  if (typeof value === 'string') return redactToken(value, token);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, token, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[redactToken(k, token)] = redactValue(v, token, depth + 1);
  return out;
}
