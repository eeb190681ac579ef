/**
 * The data-block delimiters (`<<<DATA`, `>>>DATA`) are what tells a model where third-party text
 * ends and the server speaks again. A value that holds them, or something that reads like them
 * (fullwidth `＞＞＞ＤＡＴＡ`, `›››DATA`, Cyrillic `DАТА`, `>>> data`, `>>>\u{200b}DATA`), could fake
 * the end of a block; every angle bracket of such a run is escaped, so the text stays readable
 * but no longer looks like a delimiter. Idempotent: an escaped run no longer matches.
 */

// Characters that render like `<` or `>` (NFKC already maps fullwidth and small forms).
const ANGLES: Record<string, string> = {
  '\u{2039}': '<', '\u{203a}': '>',
  '\u{2329}': '<', '\u{232a}': '>',
  '\u{3008}': '<', '\u{3009}': '>',
  '\u{27e8}': '<', '\u{27e9}': '>',
  '\u{276e}': '<', '\u{276f}': '>',
  '\u{276c}': '<', '\u{276d}': '>',
  '\u{2770}': '<', '\u{2771}': '>',
  '\u{2c2}': '<', '\u{2c3}': '>',
  '\u{1438}': '<', '\u{1433}': '>',
  '\u{227a}': '<', '\u{227b}': '>',
  '\u{22d6}': '<', '\u{22d7}': '>',
  '\u{2989}': '<', '\u{298a}': '>',
  '\u{29fc}': '<', '\u{29fd}': '>',
  '\u{ab}': '<', '\u{bb}': '>',
  '\u{226a}': '<', '\u{226b}': '>',
  '\u{2aa1}': '<', '\u{2aa2}': '>',
  '\u{2af7}': '<', '\u{2af8}': '>',
  '\u{22d8}': '<', '\u{22d9}': '>',
};
// Letters of "data" in other scripts that look Latin.
const LETTERS: Record<string, string> = {
  'А': 'a', 'а': 'a', 'Α': 'a', 'α': 'a', 'Ꭺ': 'a', 'ꓮ': 'a', 'Т': 't', 'т': 't', 'Τ': 't', 'τ': 't', 'Ꭲ': 't',
  'ꓔ': 't', 'Ꭰ': 'd', 'ꓓ': 'd', 'ԁ': 'd', 'ᗪ': 'd', 'ⅾ': 'd', 'Ⅾ': 'd',
};

/** One UTF-16 unit per code point, so match offsets map back to the original code points. */
function fold(ch: string): string {
  const mapped = ANGLES[ch] ?? LETTERS[ch];
  if (mapped) return mapped;
  const n = ch.normalize('NFKC');
  if (n.length === 1 && n.charCodeAt(0) < 0x80) return ANGLES[n] ?? n.toLowerCase();
  if (/^\s$/u.test(ch)) return ' ';
  return '\u0000';
}

// Between the characters: spaces, visible escapes of hidden characters, and filler punctuation.
const SEP = String.raw`(?:\s|\\u\{[0-9a-f]{1,6}\}|\\u[0-9a-f]{4}|\\[nrt]|[_.*~-])*`;
const RUN = new RegExp(String.raw`([<>])(?:${SEP}\1)+${SEP}d${SEP}a${SEP}t${SEP}a`, 'g');

const TRIGGERS = new Set([...Object.keys(ANGLES), '<', '>', '＜', '＞', '﹤', '﹥']);

const braced = (cp: number) => `\\u{${cp.toString(16)}}`;

/** `escape` writes one escaped code point: `\u{3e}` for display (default), `\u003e` inside JSON text. */
export function neutraliseMarkers(s: string, escape: (cp: number) => string = braced): string {
  if (![...s].some((ch) => TRIGGERS.has(ch))) return s;
  const chars = [...s];
  const folded = chars.map(fold).join('');
  let hit = false;
  for (const m of folded.matchAll(RUN)) {
    for (let i = m.index; i < m.index + m[0].length; i++) {
      if (folded[i] === '<' || folded[i] === '>') {
        chars[i] = escape((chars[i] as string).codePointAt(0) ?? 0);
        hit = true;
      }
    }
  }
  return hit ? chars.join('') : s;
}
