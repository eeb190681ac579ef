/**
 * The plan of a DNS-as-code sync (issue 26): the changes that make a zone what its file says,
 * leaving alone what other tools manage (code-rules.ts), as data every output format and the
 * digest are made from. Record identities (uuids) are not part of it: a plan against a committed
 * export and one against the live zone are the same plan, with the same digest.
 */
import { createHash } from 'node:crypto';
import { diffRecords, type Change, type CurrentRecord } from './diff.js';
import { fqdn } from './names.js';
import { recordKey, type RecordSpec } from './model.js';
import { rdataText } from './zonefile.js';
import { escapeForDisplay } from './display.js';
import { matchesAny, sortLive, type RecordRules } from './code-rules.js';

export interface SyncInput {
  /** What the zone holds now, by the provider's record ids. */
  current: CurrentRecord[];
  /** What the file says. */
  desired: RecordSpec[];
  rules: RecordRules;
}

export interface SyncChanges {
  /** The live records the plan is judged against (ignored ones are out of it). */
  current: CurrentRecord[];
  changes: Change[];
  /** Protected live records the file does not name: left as they are. */
  kept: CurrentRecord[];
  ignored: { live: number; file: number };
}

/** The changes of a sync; protected records absent from the file count as desired, so nothing removes or rewrites them. */
export function syncChanges({ current, desired, rules }: SyncInput): SyncChanges {
  const live = sortLive(current, rules);
  const wanted = desired.filter((r) => !matchesAny(rules.ignore, r));
  const named = new Set(wanted.map(recordKey));
  const kept = live.protected.filter((r) => !named.has(recordKey(r)));
  const judged = [...live.managed, ...live.protected];
  return { current: judged, changes: diffRecords(judged, [...wanted, ...kept], 'sync'), kept, ignored: { live: live.ignored.length, file: desired.length - wanted.length } };
}

/** One change as plans show it: names relative and in full, data in zone-file form (one line, escaped). */
export interface CodeChange {
  action: 'create' | 'update' | 'delete';
  name: string;
  fqdn: string;
  type: string;
  /** The TTL after the change (a delete: the TTL it had). */
  ttl: number;
  old_ttl?: number;
  old?: string;
  new?: string;
}

const data = (r: RecordSpec) => escapeForDisplay(rdataText(r));

export function codeChangeOf(c: Change, zone: string): CodeChange {
  const subject = c.action === 'create' ? c.after : c.before;
  const base = { action: c.action, name: escapeForDisplay(subject.name), fqdn: escapeForDisplay(fqdn(subject.name, zone)), type: subject.record_type };
  switch (c.action) {
    case 'create':
      return { ...base, ttl: c.after.ttl, new: data(c.after) };
    case 'delete':
      return { ...base, ttl: c.before.ttl, old: data(c.before) };
    case 'update':
      return { ...base, ttl: c.after.ttl, ...(c.before.ttl !== c.after.ttl ? { old_ttl: c.before.ttl } : {}), old: data(c.before), new: data(c.after) };
  }
}

/**
 * The digest `apply --checksum` compares: every zone planned (a plan of other files is another
 * plan) and each change in order. Stable across runs, machines and record ids.
 */
export function planDigest(zones: ReadonlyArray<{ zone: string; changes: readonly CodeChange[] }>): string {
  const canonical = [...zones]
    .sort((a, b) => (a.zone < b.zone ? -1 : a.zone > b.zone ? 1 : 0))
    .map((z) => [z.zone, z.changes.map((c) => [c.action, c.fqdn, c.type, c.old_ttl ?? null, c.ttl, c.old ?? null, c.new ?? null])]);
  return createHash('sha256').update(JSON.stringify(['vpsorg-dns-mcp plan v1', canonical])).digest('hex');
}
