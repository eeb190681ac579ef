/**
 * Owner names and zones. A name is stored relative to its zone, lowercase, `@` for the apex.
 * DNS names compare case-insensitively (RFC 4343), so lowercase is the comparable form.
 */

/** The zone as `example.com`: lowercase, no trailing dot. */
export function normaliseZone(zone: string): string {
  const z = zone.trim().toLowerCase();
  return z.endsWith('.') ? z.slice(0, -1) : z;
}

/** `rel` relative to `zone` when `abs` (no trailing dot) is the zone or below it, else null. */
function relativePart(abs: string, zone: string): string | null {
  if (abs === zone) return '';
  if (abs.endsWith(`.${zone}`)) return abs.slice(0, -(zone.length + 1));
  return null;
}

/**
 * `@`, `''`, `example.com`, `example.com.` -> `@`; `www`, `WWW.Example.com.`, `www.example.com` -> `www`.
 * An FQDN without its trailing dot is read as absolute when it ends with the zone (the provider
 * documents names that way). A relative part that itself ends with the zone (`www.example.com`
 * below `example.com`) stays absolute with its trailing dot, so that normalising twice is stable.
 * A name outside the zone keeps its absolute form (`other.org.`); validation reports it.
 */
export function normaliseName(name: string, zone: string): string {
  const z = normaliseZone(zone);
  let n = name.trim().toLowerCase();
  if (n === '' || n === '@') return '@';
  const absolute = n.endsWith('.');
  if (absolute) n = n.slice(0, -1);
  const rel = relativePart(n, z);
  if (rel === null) return absolute ? `${n}.` : n;
  if (rel === '') return '@';
  if (relativePart(rel, z) !== null) return `${n}.`;
  return rel;
}

/** `www` -> `www.example.com.`; `@` -> `example.com.`; an absolute name is returned as is. */
export function fqdn(name: string, zone: string): string {
  const z = normaliseZone(zone);
  if (name === '@' || name === '') return `${z}.`;
  if (name.endsWith('.')) return name;
  return `${name}.${z}.`;
}

/** Whether a normalised name lies at or below the zone. */
export function isInZone(name: string, zone: string): boolean {
  if (!name.endsWith('.')) return true;
  return relativePart(name.slice(0, -1), normaliseZone(zone)) !== null;
}

const LABEL = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?$/;

/**
 * Problems with a dotted name (no trailing dot), as sentences; empty when it is fine.
 * Labels: letters, digits, `-` (not first or last) and `_` (service labels such as `_dmarc`),
 * at most 63 bytes; the whole name at most 253 (RFC 1035 2.3.4). `*` only as a whole first label.
 */
export function nameSyntaxProblems(dotted: string, opts: { wildcard: boolean }): Array<{ rule: string; message: string }> {
  const out: Array<{ rule: string; message: string }> = [];
  if (/[^\x20-\x7e]/.test(dotted)) {
    out.push({ rule: 'name_ascii', message: 'contains non-ASCII characters: write an internationalised name in its xn-- (punycode) form' });
    return out;
  }
  if (dotted.length > 253) out.push({ rule: 'name_length', message: `is ${dotted.length} characters long; a full DNS name is at most 253` });
  const labels = dotted.split('.');
  labels.forEach((label, i) => {
    if (label === '') out.push({ rule: 'name_syntax', message: 'has an empty label (two dots in a row, or a leading dot)' });
    else if (label.length > 63) out.push({ rule: 'label_length', message: `label "${label.slice(0, 20)}..." is ${label.length} characters long; a label is at most 63` });
    else if (label === '*') {
      if (!opts.wildcard || i !== 0) out.push({ rule: 'name_syntax', message: '`*` is only allowed as the whole first label of an owner name (a wildcard such as *.example.com)' });
    } else if (!LABEL.test(label)) {
      out.push({ rule: 'name_syntax', message: `label "${label}" may hold only letters, digits, '-' and '_', and may not start or end with '-'` });
    }
  });
  return out;
}

/** Code-unit order: deterministic on every machine, unlike localeCompare. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
