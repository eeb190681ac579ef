/**
 * Where a plan sends traffic and mail, judged on what it leaves at each owner name against what
 * was there (marks.ts), never change by change: a repoint is then what it does (a name answers
 * with a target it did not have), and a series of calls that each look harmless (repoint the
 * backup MX, then demote the primary) is caught at the call that makes the new host best.
 */
import type { Change, CurrentRecord } from '../domain/diff.js';
import type { RecordSpec } from '../domain/model.js';
import type { ZoneIndex } from './zone-index.js';

type Grouped = Map<string, Set<string>>;

/**
 * The records at the names the changes touch, before and after them: what applyChanges would
 * leave there, without its order (nothing here needs it) and in time linear in the changes plus
 * the records at those names (zone-index.ts), since a plan of thousands of changes to a large zone is judged on every write. A
 * record a change names that the listing lacks counts as there.
 */
export function beforeAfter(zone: ZoneIndex, changes: readonly Change[]): { before: RecordSpec[]; after: RecordSpec[] } {
  const names = new Set(changes.flatMap((c) => (c.action === 'create' ? [c.after.name] : c.action === 'delete' ? [c.before.name] : [c.before.name, c.after.name])));
  const byUuid = new Map<string, CurrentRecord>([...names].flatMap((n) => zone.byName.get(n) ?? []).map((r) => [r.uuid, r]));
  for (const c of changes) if (c.action !== 'create' && !byUuid.has(c.before.uuid)) byUuid.set(c.before.uuid, c.before);
  const gone = new Set(changes.flatMap((c) => (c.action === 'create' ? [] : [c.before.uuid])));
  const before = [...byUuid.values()];
  return { before, after: [...before.filter((r) => !gone.has(r.uuid)), ...changes.flatMap((c) => (c.action === 'delete' ? [] : [c.after]))] };
}

function group(records: readonly RecordSpec[], keep: (r: RecordSpec) => boolean): Grouped {
  const out: Grouped = new Map();
  for (const r of records.filter(keep)) out.set(r.name, (out.get(r.name) ?? new Set()).add(`${r.record_type} ${r.value.toLowerCase()}`));
  return out;
}

/** The names of `after` with a member `before` lacks; with `known`, only names `before` already had or `known` says take traffic. */
function gaining(before: Grouped, after: Grouped, known?: (name: string) => boolean): string[] {
  return [...after].filter(([name, set]) => {
    const was = before.get(name);
    return (was !== undefined || !known || known(name)) && [...set].some((k) => !was?.has(k));
  }).map(([name]) => name);
}

const isTarget = (r: RecordSpec) => r.record_type === 'A' || r.record_type === 'AAAA' || r.record_type === 'CNAME';

/**
 * Names that answered with addresses or a CNAME and, after the plan, answer with one they did not
 * (beside their own or instead of them): part or all of their traffic goes somewhere new. A new
 * name's first address takes nobody's traffic, unless the name took some already (`takesTraffic`:
 * a wildcard answered for it, or a CNAME/MX/SRV elsewhere names it).
 */
export function namesGainingTargets(before: readonly RecordSpec[], after: readonly RecordSpec[], takesTraffic: (name: string) => boolean): string[] {
  return gaining(group(before, isTarget), group(after, isTarget), takesTraffic);
}

/** Per name, its MX hosts at the best (lowest) priority: the ones senders deliver to. */
function bestMx(records: readonly RecordSpec[]): Grouped {
  const mx = records.filter((r) => r.record_type === 'MX');
  const best = new Map<string, number>();
  for (const r of mx) best.set(r.name, Math.min(best.get(r.name) ?? Infinity, r.priority ?? 0));
  return group(mx, (r) => (r.priority ?? 0) === best.get(r.name));
}

/** Names whose best MX hosts, after the plan, include one that was not among them (a name's first MX included): it receives their mail. */
export function namesGainingBestMx(before: readonly RecordSpec[], after: readonly RecordSpec[]): string[] {
  return gaining(bestMx(before), bestMx(after));
}
