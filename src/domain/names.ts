/**
 * Owner names and zones. A name is stored relative to its zone, lowercase, `@` for the apex.
 * DNS names compare case-insensitively (RFC 4343), so lowercase is the comparable form.
 */
import type { SuffixLabels } from './suffixes.js';
import { escapeForDisplay } from './display.js';

/** The zone as `example.com`: lowercase, no trailing dot. */
export function normaliseZone(zone: string): string {
  const z = zone.trim().toLowerCase();
  return z.endsWith('.') ? z.slice(0, -1) : z;
}

/** Whether VPSORG_ALLOWED_ZONES (null: unset) admits `domain`: an exact zone, or `*.suffix` for the zones below it. */
export function zoneAllowed(domain: string, allowed: readonly string[] | null): boolean {
  if (allowed === null) return true;
  const d = normaliseZone(domain);
  return allowed.some((p) => (p.startsWith('*.') ? d.endsWith(p.slice(1)) : d === p));
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

/** How an owner name as an agent wrote it was read (issue 12.2). */
export type OwnerReading =
  | { ok: true; name: string; note?: string }
  | { ok: false; rule: 'name_outside_zone' | 'name_question' | 'name_ambiguous'; message: string };

/**
 * Issue 17.3: an owner whose name relative to the zone itself ends with the zone name
 * (`gen16.test.gen16.test.`, `www.example.com.example.com.`) cannot be stored unambiguously: the
 * provider keeps names relative, and a relative name that ends with the zone reads back as the
 * shorter name written in full (`gen16.test` as the apex). `name` is canonical (normaliseName);
 * returns the reason such a name is refused, or null. `written` is the name as the input had it.
 */
export function ambiguousOwner(name: string, zone: string, written: string, how = ''): string | null {
  const z = normaliseZone(zone);
  if (!name.endsWith('.') || !isInZone(name, z)) return null;
  const rel = normaliseName(relativePart(name.slice(0, -1), z) ?? '', z);
  const shorter = fqdn(rel, z);
  return escapeForDisplay(
    `"${written}"${how} is ${name}; did you mean ${shorter}? Write "${shorter}" (or "${rel}"). Refused: its name relative to the zone ends with the zone name ${z}, which the provider reads back as ${shorter} (ambiguous; usually a missing trailing dot).`,
  );
}

/**
 * What the provider's `name` means when it may mean two owners (issue 17.3): a name without a
 * trailing dot that ends with the zone name is read as that name written in full (`www.example.com`
 * is `www`), but stored relative it would be `www.example.com.example.com.`. Returns the other
 * reading, or null when the name is unambiguous (`@`, `www`, a name with a trailing dot).
 */
export function ambiguousApiName(raw: string, zone: string): string | null {
  const z = normaliseZone(zone);
  const n = raw.trim().toLowerCase();
  if (n === '' || n === '@' || n.endsWith('.')) return null;
  return relativePart(n, z) === null ? null : `${n}.${z}.`;
}

/**
 * The registrable domain (a listed public suffix and one label) that a dotted name lies strictly
 * below: `example.org` for `www.example.org`; none for `api.dev`, `www.blog` or `*.dev`, which are
 * everyday relative names (issue 22.7), nor for unlisted endings (`mail.staging`).
 */
function registrableAbove(dotted: string, suffixes: SuffixLabels | undefined): string | null {
  const labels = dotted.split('.');
  const n = suffixes ? suffixes(dotted) : 0;
  return n && labels.length > n + 1 ? labels.slice(-(n + 1)).join('.') : null;
}

/** A dotted name, as written, that is neither full (trailing dot) nor inside the zone: its reading may depend on the account and the suffix list. */
export function isDottedRelative(input: string, zone: string): boolean {
  const n = input.trim().toLowerCase();
  return n.includes('.') && !n.endsWith('.') && relativePart(n, normaliseZone(zone)) === null;
}

/** Whether reading `input` depends on the account's other zones (the suffix list does not already question it). */
export function needsZoneList(input: string, zone: string, suffixes: SuffixLabels | undefined): boolean {
  return isDottedRelative(input, zone) && registrableAbove(input.trim().toLowerCase(), suffixes) === null;
}

/**
 * An owner name as an agent writes it, read against the zone:
 * - `@`, the zone itself, or a name ending in `.<zone>` (any case, trailing dot or not) is that
 *   owner name, returned relative (`www.example.com` -> `www`) with a note when it was written in full;
 * - a name with a trailing dot outside the zone is an error;
 * - a dotted name outside the zone that lies in another zone of the account (`otherZones`), or
 *   below a registrable domain of the public suffix list (`www.example.org`), is refused with a
 *   question, never guessed;
 * - other relative names (`api.dev`, `_acme-challenge.www`, `mail.staging`) are relative, as written;
 * - a name whose part relative to the zone still ends with the zone (`gen16.test.gen16.test`,
 *   `www.example.com.example.com.`) is refused as ambiguous (ambiguousOwner).
 * Returns the canonical name of normaliseName.
 */
export function readOwnerName(input: string, zone: string, otherZones: readonly string[] = [], suffixes?: SuffixLabels): OwnerReading {
  const z = normaliseZone(zone);
  const raw = input.trim();
  const shown = escapeForDisplay(raw);
  const name = normaliseName(raw, z);
  const full = fqdn(name, z);
  const lower = raw.toLowerCase();
  const bare = lower.endsWith('.') ? lower.slice(0, -1) : lower;
  const ambiguous = ambiguousOwner(name, z, raw);
  if (ambiguous) return { ok: false, rule: 'name_ambiguous', message: ambiguous };
  if (bare !== '' && relativePart(bare, z) !== null) return { ok: true, name, note: `name "${raw}" read as ${escapeForDisplay(name)} (${escapeForDisplay(full)}), relative to the zone ${z}` };
  if (lower.endsWith('.')) {
    return { ok: false, rule: 'name_outside_zone', message: `"${shown}" is not inside ${z}: a name ending in a dot is a full name, and this one is outside the zone. Give a name relative to ${z} (www) or a full name ending in .${z}` };
  }
  const inAccount = otherZones.map(normaliseZone).filter((o) => o !== z && relativePart(bare, o) !== null).sort((a, b) => b.length - a.length)[0];
  const guess = inAccount ?? registrableAbove(bare, suffixes);
  if (guess) {
    const rel = relativePart(bare, guess) || '@';
    return {
      ok: false,
      rule: 'name_question',
      message: escapeForDisplay(`"${raw}" is not inside ${z}. Did you mean zone ${guess}, name ${rel}? For a record literally at ${bare}.${z}, pass "${bare}.${z}".`),
    };
  }
  return { ok: true, name };
}

/** `www (www.example.com.)`: a relative owner name with its full name beside it, for diffs, results and errors. */
export function ownerLabel(name: string, zone: string): string {
  return escapeForDisplay(`${name} (${fqdn(name, zone)})`);
}

/**
 * A canonical name as an agent should write it back (import_zone_file -> apply_zone): relative when
 * readOwnerName, with the same account zones and suffixes, reads it back the same, else in full.
 */
export function writtenName(name: string, zone: string, otherZones: readonly string[] = [], suffixes?: SuffixLabels): string {
  const r = readOwnerName(name, zone, otherZones, suffixes);
  return r.ok && r.name === name ? name : fqdn(name, zone);
}
