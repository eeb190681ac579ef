/**
 * The one delete that needs no confirmation: an ACME client removing the DNS-01 value it added.
 *
 * Why it is safe without the gate: the call names a value, and the only records it can remove are
 * TXT records whose owner name's first label is `_acme-challenge` and whose value equals that
 * value exactly. Such a record only ever proves control of a name to a CA for one pending order;
 * removing it cannot take a host, a mail route or a delegation offline. Other values at the same
 * name (the wildcard's and the apex's share it), other types, and every other name are out of
 * reach by construction: `acmeCleanupChanges` selects only matching records, and
 * `assertAcmeCleanupOnly` re-checks the final change list before anything is sent, so a bug in
 * the selection fails closed instead of deleting something else.
 *
 * The effect policy (effect.ts) recognises this class of change by what it does, not by which
 * tool made it: `isAcmeValueDelete`. The cleanup still goes through runWrite like every write,
 * so its receipt, budget and result are those of any other; nothing else is exempt.
 */
import type { Change, CurrentRecord } from '../domain/diff.js';
import { ACME_LABEL } from '../domain/acme.js';
import { normaliseValue } from '../domain/values.js';

/** A relative owner whose first label is `_acme-challenge`: where a CA looks for a DNS-01 proof. */
export const isAcmeOwner = (name: string) => name === ACME_LABEL || name.startsWith(`${ACME_LABEL}.`);

/** The value as the record model keeps it, so "equal" means what a diff means by it. */
const canonicalTxt = (value: string, zone: string) => normaliseValue('TXT', value, zone).value;

/** A TXT record at an `_acme-challenge` owner (relative name): a DNS-01 value. */
export function isAcmeRecord(r: { name: string; record_type: string } | null): boolean {
  return r !== null && r.record_type === 'TXT' && isAcmeOwner(r.name);
}

/** A delete of a TXT record at an `_acme-challenge` owner: it proves control for one pending order, and its removal can take nothing offline. */
export function isAcmeValueDelete(c: Change): boolean {
  return c.action === 'delete' && isAcmeRecord(c.before);
}

function isExemptDelete(c: Change, name: string, value: string): boolean {
  return isAcmeValueDelete(c) && c.action === 'delete' && c.before.name === name && c.before.value === value;
}

/** True when every change deletes a `_acme-challenge` TXT record at `name` (relative, normalised) holding exactly `value`. */
export function isAcmeCleanupOnly(changes: readonly Change[], zone: string, name: string, value: string): boolean {
  const v = canonicalTxt(value, zone);
  return changes.every((c) => isExemptDelete(c, name, v));
}

/** Throws (before anything is sent) when a plan would go beyond the exception. */
export function assertAcmeCleanupOnly(changes: readonly Change[], zone: string, name: string, value: string): void {
  if (!isAcmeCleanupOnly(changes, zone, name, value)) {
    throw new Error(`internal: an ACME cleanup plan for ${name} would change more than its own TXT value; nothing was sent`);
  }
}

/** The deletes that remove `value` from the `_acme-challenge` TXT set at `name` (relative to `zone`), and nothing else. */
export function acmeCleanupChanges(current: readonly CurrentRecord[], zone: string, name: string, value: string): Change[] {
  if (!isAcmeOwner(name)) return [];
  const v = canonicalTxt(value, zone);
  const changes: Change[] = current.filter((r) => r.record_type === 'TXT' && r.name === name && r.value === v).map((before) => ({ action: 'delete', before }));
  assertAcmeCleanupOnly(changes, zone, name, value);
  return changes;
}

