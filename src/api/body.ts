/**
 * Turning provider text into something safe to put in a message: never a dumped HTML page, never
 * control characters (provider text is data, and it ends up in front of an agent), always short.
 */
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/** Collapses whitespace, replaces control characters and cuts to `max` characters. */
export function cleanText(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A one-line summary of a non-JSON body: an HTML page's <title>, else its text without tags. */
export function summariseBody(text: string, max = 100): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1];
  const source = title !== undefined && title.trim() !== '' ? title : text;
  const stripped = source
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#39|[a-z]+);/gi, (m, name: string) => ENTITIES[name.toLowerCase()] ?? m);
  const out = cleanText(stripped, max);
  return out === '' ? '(empty body)' : out;
}

export type JsonParse = { ok: true; value: unknown } | { ok: false; reason: string };

export function parseJson(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, reason: cleanText(err instanceof Error ? err.message : String(err), 120) };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
