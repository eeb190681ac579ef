/**
 * The result budget, shared by every tool: no result goes over TEXT_LIMIT bytes of text or
 * STRUCTURED_LIMIT bytes of structuredContent by default, whatever the zone's size. A model pays
 * for every byte we send back; a list that does not fit says how much was left out and how to get
 * it (a cursor, a filter, a resource URI). Lists take most of the budget; heads, notes and fixed
 * fields live in the rest. Below every layer that shows text (the gate, the tools, the history);
 * tools/kit/budget.ts adds the tools' cursor arguments.
 */
import { ValidationError } from '../errors.js';
import { dataLine } from './display.js';

export const TEXT_LIMIT = 16_000;
export const STRUCTURED_LIMIT = 64_000;
/** What one result's lists may take together: the rest is kept for heads, notes and fixed fields. */
export const LIST_TEXT = 12_000;
export const LIST_JSON = 48_000;

export interface Page {
  /** How many items there are in all (after filters). */
  total: number;
  /** Index of the first item returned. */
  offset: number;
  returned: number;
  /** Items after this page that were left out (total - offset - returned). */
  omitted: number;
  /** Pass as `cursor` to get the next page; absent on the last page. */
  next_cursor?: string;
}

export interface FitOptions<T> {
  limit?: number | undefined;
  cursor?: string | undefined;
  /** The item's text as the result shows it (one or more lines); omit when it has no text. */
  text?: (item: T) => string;
  /** The item as it goes into structuredContent; omit when it has none. */
  json?: (item: T) => unknown;
  /** Budgets for this list (default LIST_TEXT / LIST_JSON): results with two lists split them. */
  textBytes?: number;
  jsonBytes?: number;
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8') + 1;

export function parseCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  if (!/^\d{1,9}$/.test(cursor.trim())) {
    throw new ValidationError([{ field: 'cursor', rule: 'cursor', message: 'pass the next_cursor of the previous result unchanged (a number), or leave cursor out to start at the beginning', example: '300' }]);
  }
  return Number(cursor.trim());
}

/** The part of `items` from the cursor that fits the budgets (at least one item, so a list always moves on). */
export function fit<T>(items: readonly T[], opts: FitOptions<T> = {}): { items: T[]; page: Page } {
  const offset = Math.min(parseCursor(opts.cursor), items.length);
  const maxCount = opts.limit ?? Number.POSITIVE_INFINITY;
  let textLeft = opts.textBytes ?? LIST_TEXT;
  let jsonLeft = opts.jsonBytes ?? LIST_JSON;
  const out: T[] = [];
  for (let i = offset; i < items.length && out.length < maxCount; i++) {
    const item = items[i] as T;
    // Measured as sent: text lines escaped as data lines, JSON as serialised.
    const t = opts.text ? opts.text(item).split('\n').reduce((n, l) => n + bytes(dataLine(l)), 0) : 0;
    const j = opts.json ? bytes(JSON.stringify(opts.json(item)) ?? '') : 0;
    if (out.length > 0 && (t > textLeft || j > jsonLeft)) break;
    textLeft -= t;
    jsonLeft -= j;
    out.push(item);
  }
  const next = offset + out.length;
  const page: Page = { total: items.length, offset, returned: out.length, omitted: items.length - next, ...(next < items.length ? { next_cursor: String(next) } : {}) };
  return { items: out, page };
}

/**
 * The line telling the model what was left out and how to get it; empty when nothing was.
 * `ways` are the tool's other ways in (a filter, a resource URI), tried after the cursor.
 */
export function omittedNote(page: Page, noun: string, ways: string[] = [], opts: { cursor?: boolean } = {}): string {
  if (!page.omitted && !page.offset) return '';
  const shown = page.returned ? `${noun} ${page.offset + 1}-${page.offset + page.returned} of ${page.total}` : `no ${noun} (${page.total} in all)`;
  if (!page.omitted) return `Showing ${shown}.`;
  const how = [...(opts.cursor === false ? [] : [`call again with cursor "${page.next_cursor}" for the next ${noun}`]), ...ways];
  return `Showing ${shown}; ${page.omitted} more left out. To see them: ${how.join('; or ')}.`;
}

/**
 * A long text (a zone file, a diff, a snapshot) cut at a line boundary to fit `budget` bytes;
 * `omitted` is how many lines were left out.
 */
export function fitLines(text: string, budget: number): { text: string; omitted: number; total: number } {
  const lines = text.replace(/\n$/, '').split('\n');
  const { items } = fit(lines, { text: (l) => l, textBytes: budget });
  return { text: items.join('\n') + (text.endsWith('\n') && items.length === lines.length ? '\n' : ''), omitted: lines.length - items.length, total: lines.length };
}

/** Bytes of a result as the client receives it, for the guard and the tests. */
export function resultSize(text: string, structured: unknown): { text: number; structured: number } {
  return { text: Buffer.byteLength(text, 'utf8'), structured: structured === undefined ? 0 : Buffer.byteLength(JSON.stringify(structured), 'utf8') };
}
