/**
 * What a DNS-as-code repository does not own (issue 26.5): records other tools manage in the same
 * zone. A sync that deleted them would break certificate renewals (ACME DNS-01 tokens come and go
 * every few weeks) or fight a cluster's external-dns. Two rules, both glob lists:
 * - `ignore`: left out on both sides: never created, changed or deleted, and not exported;
 * - `protect`: never deleted or changed by a sync; a file may still add values beside them.
 * By default `_acme-challenge` names and whatever an external-dns heritage TXT marks are protected.
 */
import type { RecordSpec } from './model.js';

export interface RecordRules {
  protect: readonly string[];
  ignore: readonly string[];
  /** false: no built-in protection (the config file's `"defaults": false`). */
  defaults: boolean;
}

export const DEFAULT_PROTECT = ['_acme-challenge', '_acme-challenge.**'] as const;
export const NO_RULES: RecordRules = { protect: [], ignore: [], defaults: true };

/** external-dns's TXT registry marks every record it owns with a TXT holding this. */
const HERITAGE = /heritage=external-dns/i;
/** Its newer registry names the TXT after the record's type: `a-www`, `cname-www` own `www`. */
const TYPE_PREFIX = /^(a|aaaa|cname|mx|ns|srv|txt|caa)-/i;

const GLOB = /^[a-z0-9_*?@.-]+(:[a-z]+)?$/i;

/** Why a glob cannot be used, or null. */
export function globProblem(glob: string): string | null {
  if (!GLOB.test(glob)) return `"${glob}" is not a record glob: use names relative to the zone with * (within a label), ** (across labels) or ?, optionally :TYPE (e.g. _acme-challenge.**, old-*:TXT)`;
  return null;
}

function globRegex(glob: string): { re: RegExp; type: string | null } {
  const [name = '', type] = glob.toLowerCase().split(':');
  const body = name.replace(/[.]/g, '\\.').replace(/\*\*|\*|\?/g, (m) => (m === '**' ? '.*' : m === '*' ? '[^.]*' : '[^.]'));
  return { re: new RegExp(`^${body}$`), type: type ? type.toUpperCase() : null };
}

/** Whether a record's relative name (`@` for the apex) and type match one of the globs. */
export function matchesAny(globs: readonly string[], r: Pick<RecordSpec, 'name' | 'record_type'>): boolean {
  return globs.some((g) => {
    const { re, type } = globRegex(g);
    return re.test(r.name.toLowerCase()) && (type === null || type === r.record_type);
  });
}

/** The names external-dns claims in this zone: where its heritage TXT records are, and what they name. */
export function externalDnsNames(records: readonly RecordSpec[]): Set<string> {
  const names = new Set<string>();
  for (const r of records) {
    if (r.record_type !== 'TXT' || !HERITAGE.test(r.value)) continue;
    names.add(r.name);
    if (TYPE_PREFIX.test(r.name)) names.add(r.name.replace(TYPE_PREFIX, '') || '@');
  }
  return names;
}

export interface Sorted<T extends RecordSpec> {
  /** The records this repository manages. */
  managed: T[];
  protected: T[];
  ignored: T[];
}

/** Sorts live records by the rules (ignore wins over protect). */
export function sortLive<T extends RecordSpec>(records: readonly T[], rules: RecordRules): Sorted<T> {
  const owned = rules.defaults ? externalDnsNames(records) : new Set<string>();
  const protect = [...(rules.defaults ? DEFAULT_PROTECT : []), ...rules.protect];
  const out: Sorted<T> = { managed: [], protected: [], ignored: [] };
  for (const r of records) {
    if (matchesAny(rules.ignore, r)) out.ignored.push(r);
    else if (owned.has(r.name) || matchesAny(protect, r)) out.protected.push(r);
    else out.managed.push(r);
  }
  return out;
}
