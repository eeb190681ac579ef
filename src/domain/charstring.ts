/**
 * RFC 1035 character-strings as zone files write them: `"..."` with `\"`, `\\` and `\DDD`
 * (a byte in decimal) escapes. TXT data is bytes; we keep it as UTF-8 text and only escape
 * when rendering, so that comparing two records is comparing two strings.
 */
const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/** Bytes of a zone-file token body (quotes already removed): `\DDD` is a byte, `\X` is X. */
export function decodeEscapes(raw: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i] ?? '';
    if (ch === '\\' && i + 1 < raw.length) {
      const ddd = raw.slice(i + 1, i + 4);
      if (/^[0-9]{3}$/.test(ddd) && Number(ddd) <= 255) {
        out.push(Number(ddd));
        i += 3;
        continue;
      }
      const cp = raw.codePointAt(i + 1) ?? 0;
      const next = String.fromCodePoint(cp);
      out.push(...encoder.encode(next));
      i += next.length;
      continue;
    }
    const cp = raw.codePointAt(i) ?? 0;
    const c = String.fromCodePoint(cp);
    out.push(...encoder.encode(c));
    i += c.length - 1;
  }
  return Uint8Array.from(out);
}

/** UTF-8 text of bytes, or null when they are not valid UTF-8. */
export function bytesToText(bytes: Uint8Array): string | null {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return null;
  }
}

/** Escapes bytes for inside `"..."`: printable ASCII stays, `"` and `\` get a backslash, the rest is `\DDD`. */
export function escapeBytes(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    if (b === 0x22 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\${String(b).padStart(3, '0')}`;
  }
  return out;
}

/** Text as one zone-file quoted string of any length (the lossless hand-off form of a value). */
export function quoteText(text: string): string {
  return `"${escapeBytes(encoder.encode(text))}"`;
}

/** Escapes only `"` and `\`, for the canonical CAA value, which stays readable text. */
export function quoteLight(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/**
 * Text as quoted character-strings of at most 255 bytes each (RFC 1035 3.3.14), cut only between
 * UTF-8 sequences so that each chunk stays readable on its own.
 */
export function chunkText(text: string, max = 255): string[] {
  const bytes = encoder.encode(text);
  const chunks: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(start + max, bytes.length);
    // Back off while `end` points into the middle of a UTF-8 sequence (continuation byte 10xxxxxx).
    while (end < bytes.length && end > start && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
    if (end === start) end = Math.min(start + max, bytes.length);
    chunks.push(`"${escapeBytes(bytes.subarray(start, end))}"`);
    start = end;
  }
  return chunks.length ? chunks : ['""'];
}

/**
 * Reads `s` as a sequence of quoted strings separated by blanks (`"a" "b"`, or one string holding
 * 255-byte chunks' worth) and returns their joined text, or null when `s` is not entirely that.
 */
export function parseQuotedSequence(s: string): string | null {
  const parts = quotedStrings(s);
  return parts === null ? null : joinedText(parts);
}

/** The bytes of each quoted string of `s` (see parseQuotedSequence), or null when `s` is not entirely that. */
export function quotedStrings(s: string): Uint8Array[] | null {
  const t = s.trim();
  if (!t.startsWith('"')) return null;
  const parts: Uint8Array[] = [];
  let i = 0;
  while (i < t.length) {
    if (t[i] !== '"') return null;
    let j = i + 1;
    let body = '';
    while (j < t.length && t[j] !== '"') {
      if (t[j] === '\\' && j + 1 < t.length) {
        body += t.slice(j, j + 2);
        j += 2;
      } else {
        body += t[j];
        j++;
      }
    }
    if (j >= t.length) return null;
    parts.push(decodeEscapes(body));
    i = j + 1;
    if (i < t.length && !/\s/.test(t[i] ?? '')) return null;
    while (i < t.length && /\s/.test(t[i] ?? '')) i++;
  }
  return parts;
}

/**
 * Issue 17.6: whether joining character-strings into the provider's one text loses where they
 * were cut. It is kept only when every string but the last is a full 255 bytes (the cut the
 * provider's nameservers make again when they serve the text).
 */
export function cutsLost(parts: readonly Uint8Array[]): boolean {
  return parts.slice(0, -1).some((p) => p.length !== 255);
}

/** The text of byte chunks joined (TXT character-strings are one text); null when not valid UTF-8. */
export function joinedText(parts: Uint8Array[]): string | null {
  const total = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    total.set(p, at);
    at += p.length;
  }
  return bytesToText(total);
}
