/**
 * RFC 1035 5.1 master-file lexing: entries end at a newline outside parentheses; `;` starts a
 * comment outside quotes; a line that starts with a blank omits its owner name; `\X` and `\DDD`
 * escape characters in quoted and unquoted tokens alike (decoded later, where the type is known).
 */
export interface Token {
  /** The token's text with escapes kept as written; without its quotes when `quoted`. */
  text: string;
  quoted: boolean;
  line: number;
}

export interface Entry {
  line: number;
  ownerOmitted: boolean;
  tokens: Token[];
  comments: string[];
}

export interface LexResult {
  entries: Entry[];
  problems: Array<{ line: number; message: string }>;
}

const BREAK = new Set([' ', '\t', '\n', '\r', ';', '(', ')', '"']);

export function lex(text: string): LexResult {
  const entries: Entry[] = [];
  const problems: LexResult['problems'] = [];
  let line = 1;
  let depth = 0;
  let openedAt = 0;
  let entry: Entry | null = null;
  const finish = () => {
    if (entry && entry.tokens.length > 0) entries.push(entry);
    entry = null;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (entry === null) entry = { line, ownerOmitted: ch === ' ' || ch === '\t', tokens: [], comments: [] };
    const e: Entry = entry;
    if (ch === '\n') {
      line++;
      if (depth === 0) finish();
    } else if (ch === ' ' || ch === '\t' || ch === '\r') {
      continue;
    } else if (ch === ';') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      e.comments.push(text.slice(i + 1, stop).trim());
      i = stop - 1;
    } else if (ch === '(') {
      if (depth === 0) openedAt = line;
      depth++;
    } else if (ch === ')') {
      if (depth === 0) problems.push({ line, message: 'a ")" closes no "("' });
      else depth--;
    } else if (ch === '"') {
      const start = line;
      let j = i + 1;
      while (j < text.length && text[j] !== '"' && text[j] !== '\n') j += text[j] === '\\' && text[j + 1] !== '\n' ? 2 : 1;
      if (text[j] !== '"') problems.push({ line: start, message: 'a quoted string is not closed on its line' });
      e.tokens.push({ text: text.slice(i + 1, Math.min(j, text.length)), quoted: true, line: start });
      i = text[j] === '"' ? j : j - 1;
    } else {
      let j = i;
      while (j < text.length && !BREAK.has(text[j] ?? '')) j += text[j] === '\\' && j + 1 < text.length ? 2 : 1;
      e.tokens.push({ text: text.slice(i, j), quoted: false, line });
      i = j - 1;
    }
  }
  if (depth > 0) problems.push({ line: openedAt, message: 'a "(" opened here is never closed' });
  finish();
  return { entries, problems };
}
