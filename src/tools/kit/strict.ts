/**
 * Strict inputs: an argument the tool does not take is refused, never dropped. A model that
 * writes `dryRun` for `dry_run` would otherwise perform the real write.
 */
import type * as z from 'zod';
import type { Problem } from '../../errors.js';

const squash = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length] as number;
}

/** The valid name closest to `key` (case, `-`/`_` and small typos aside), or undefined when none is close. */
export function nearestName(key: string, names: readonly string[]): string | undefined {
  const k = squash(key);
  let best: { name: string; d: number } | undefined;
  for (const name of names) {
    const n = squash(name);
    const affix = Math.min(k.length, n.length) >= 3 && (n.startsWith(k) || n.endsWith(k) || k.startsWith(n));
    const d = n === k ? 0 : affix ? 1 : distance(k, n);
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d <= (k.length <= 4 ? 1 : Math.max(2, Math.floor(k.length / 3))) ? best.name : undefined;
}

/** `Unknown argument "dryRun": did you mean "dry_run"?` (or the list of valid names when none is close). */
export function unknownArgumentMessage(key: string, names: readonly string[], label = 'argument'): string {
  const near = nearestName(key, names);
  const quoted = JSON.stringify(key.length > 60 ? `${key.slice(0, 60)}...` : key);
  return near ? `Unknown ${label} ${quoted}: did you mean "${near}"?` : `Unknown ${label} ${quoted}: this tool takes ${names.map((n) => `"${n}"`).join(', ') || 'no arguments'}.`;
}

type Def = { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; element?: z.ZodType; options?: z.ZodType[] };
/** A schema's definition; a part that is not a zod schema (a hand-written wrapper) reads as a leaf. */
const defOf = (s: z.ZodType | undefined): Def => (s as unknown as { _zod?: { def?: Def } } | undefined)?._zod?.def ?? { type: 'unknown' };

/** The object schema at `path` inside `schema` (through optional, default, nullable and arrays). */
function objectAt(schema: z.ZodType, path: readonly PropertyKey[]): Record<string, z.ZodType> | undefined {
  let s: z.ZodType | undefined = schema;
  let i = 0;
  while (s) {
    const d = defOf(s);
    if (d.innerType) s = d.innerType;
    else if (d.type === 'array') {
      s = d.element;
      i++;
    } else if (d.type === 'object' && d.shape) {
      if (i === path.length) return d.shape;
      s = d.shape[String(path[i++])];
    } else return undefined;
  }
  return undefined;
}

export const fieldOf = (path: readonly PropertyKey[]) => path.map(String).join('.');

/** One problem per unknown key of an `unrecognized_keys` issue, naming the nearest valid key. */
export function unknownKeyProblems(schema: z.ZodType, path: readonly PropertyKey[], keys: readonly string[]): Problem[] {
  const names = Object.keys(objectAt(schema, path) ?? {});
  return keys.map((key) => ({ field: fieldOf([...path, key]), rule: 'unknown_argument', message: unknownArgumentMessage(key, names) }));
}

const accepts = (s: z.ZodType, v: unknown) => s.safeParse(v).success;

/** The schema under optional, default and nullable wrappers: an object, an array, or a leaf. */
function base(schema: z.ZodType): Def {
  let d = defOf(schema);
  while (d.innerType) d = defOf(d.innerType);
  return d;
}

/**
 * `null` means absent. Function-calling modes that fill every property of a schema send `null` for
 * the optional arguments they leave unused; an optional field that has no null of its own (plan
 * records' `priority: null` does: "no priority") reads it as not given, at any depth. A required
 * field's null is left for the schema to refuse.
 */
export function nullsAsAbsent(schema: z.ZodType, value: unknown): unknown {
  const d = base(schema);
  if (d.type === 'array' && d.element && Array.isArray(value)) {
    const element = d.element;
    return value.map((v) => nullsAsAbsent(element, v));
  }
  if (d.type !== 'object' || !d.shape || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    // Own keys only: a hostile "constructor" or "__proto__" must not reach Object.prototype.
    const field = Object.hasOwn(d.shape, key) ? d.shape[key] : undefined;
    if (field && v === null && accepts(field, undefined) && !accepts(field, null)) continue;
    out[key] = field ? nullsAsAbsent(field, v) : v;
  }
  return out;
}
