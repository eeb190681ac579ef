/**
 * The views' only way to put text on the page: every string becomes a text node (textContent),
 * never markup. Provider data (a TXT value `<script>...`) therefore stays text whatever it holds.
 */
export type Child = Node | string | number | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return node;
}

/** A status or risk badge: `kind` picks the colour (ok, warn, bad, info). */
export const badge = (text: string, kind: 'ok' | 'warn' | 'bad' | 'info'): HTMLElement => el('span', `badge ${kind}`, text);

/** A table from a header row and body rows of cells. */
export function table(head: string[], rows: Child[][], cls = '', rowClass: (i: number) => string = () => ''): HTMLTableElement {
  return el(
    'table',
    cls,
    el('thead', '', el('tr', '', ...head.map((h) => el('th', '', h)))),
    el('tbody', '', ...rows.map((r, i) => el('tr', rowClass(i), ...r.map((c) => el('td', '', c))))),
  );
}

/** Replaces the view's content. */
export function show(...children: Child[]): void {
  const root = document.getElementById('root') as HTMLElement;
  root.replaceChildren(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false).map((c) => (typeof c === 'number' ? String(c) : c)));
}

export const str = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
export const arr = <T = Record<string, unknown>>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
export const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
