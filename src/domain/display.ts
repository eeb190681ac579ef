/**
 * Record values come from the provider and from zone files: they are data, never instructions.
 * Before they reach a model or a terminal, make every invisible or reordering character visible:
 * control characters could fake line breaks, bidi overrides (CVE-2021-42574 "Trojan Source")
 * can make `v=spf1 -all` display as something else, zero-width characters hide differences.
 */
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function isHidden(cp: number): boolean {
  return (
    cp < 0x20 || // C0 controls
    (cp >= 0x7f && cp <= 0x9f) || // DEL and C1 controls
    cp === 0x061c || // Arabic letter mark
    cp === 0x00ad || // soft hyphen
    (cp >= 0x200b && cp <= 0x200f) || // zero-width space/joiners, LRM, RLM
    (cp >= 0x2028 && cp <= 0x202e) || // line/paragraph separators, bidi embeddings and overrides
    (cp >= 0x2060 && cp <= 0x2069) || // word joiner, invisible operators, bidi isolates
    cp === 0xfeff || // zero-width no-break space (BOM)
    (cp >= 0xfff9 && cp <= 0xfffb) || // interlinear annotations
    cp === 0x180e || // Mongolian vowel separator
    cp === 0x115f || cp === 0x1160 || cp === 0x3164 || cp === 0xffa0 || // Hangul fillers (render blank)
    (cp >= 0xfe00 && cp <= 0xfe0f) || // variation selectors
    (cp >= 0xe0100 && cp <= 0xe01ef) || // variation selectors supplement
    (cp >= 0xe0000 && cp <= 0xe007f) || // tag characters: invisible ASCII look-alikes that can smuggle text to a model
    (cp >= 0xd800 && cp <= 0xdfff) // a lone surrogate cannot be shown faithfully
  );
}

/** Replaces control, bidi and zero-width characters with visible `\u{...}` escapes. */
export function escapeForDisplay(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (!isHidden(cp)) out += ch;
    else out += NAMED[ch] ?? `\\u{${cp.toString(16)}}`;
  }
  return out;
}

/**
 * One escaped line of a data block. A value holding the delimiters themselves (`>>>DATA`,
 * `<<<DATA`, any case) could fake the end of the block and make what follows look like the
 * server's own words, so their first angle bracket is escaped like any other suspicious character.
 */
export function dataLine(line: string): string {
  return escapeForDisplay(line).replace(/([<>])(\1\1\s*data)/gi, (_m, ch: string, rest: string) => `\\u{${ch.codePointAt(0)?.toString(16)}}${rest}`);
}
