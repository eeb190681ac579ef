/**
 * What a write does beyond what always needs confirmation (effect.ts): the ways one addition or one
 * repoint takes traffic, mail or certificates, and which an operator may name in VPSORG_HUMAN_FOR.
 * In `human` mode the hijack marks are held by default; otherwise only the ones named are (`auto`
 * keeps the one-call repoint of an A/AAAA/CNAME/MX value). Judged from the planned changes against
 * the live zone, never from which tool asked: where traffic and mail go, from what the whole plan
 * leaves at each name (routes.ts); what a record grants, from its owner name or its TXT value.
 */
import type { Change, CurrentRecord } from '../domain/diff.js';
import type { RecordSpec } from '../domain/model.js';
import type { Config } from '../config.js';
import { isAcmeOwner } from './acme-cleanup.js';
import type { DistinctPolicy } from './approver.js';
import { beforeAfter, namesGainingBestMx, namesGainingTargets } from './routes.js';
import { indexZone, type ZoneIndex } from './zone-index.js';

export type MarkCode = 'mail_route' | 'address_added' | 'wildcard' | 'caa' | 'acme_present' | 'authorizes' | 'apex' | 'all';

/** Held in `human` mode without being named: each lets one unconfirmed call take mail, traffic or a certificate. */
export const HIJACK_MARKS: readonly MarkCode[] = ['mail_route', 'address_added', 'wildcard', 'caa', 'acme_present', 'authorizes', 'apex'];

export type HoldPolicy = Pick<Config, 'confirmMode' | 'humanFor'> & DistinctPolicy;

const afterOf = (c: Change): RecordSpec | null => (c.action === 'delete' ? null : c.after);
const subjects = (c: Change): RecordSpec[] => (c.action === 'create' ? [c.after] : c.action === 'delete' ? [c.before] : [c.before, c.after]);
const isWildcard = (name: string) => name === '*' || name.startsWith('*.');
/** A create, or an update that changes what the record points at (value, priority, name or type). */
const points = (c: Change, field: 'value' | 'priority') => c.action === 'create' || (c.action === 'update' && c.fields.some((f) => f === field || f === 'name' || f === 'record_type'));

/**
 * A TXT or CNAME created or repointed where a CA looks for a DNS-01 proof: at an `_acme-challenge`
 * owner, or a wildcard (it answers `_acme-challenge` at its level wherever no record of that name
 * exists, as after every cleanup). A CNAME there hands the proof, for every future order including
 * wildcard certificates, to whoever runs the target zone (the acme-dns pattern).
 */
function presentsAcme(c: Change): boolean {
  const a = afterOf(c);
  return a !== null && points(c, 'value') && (a.record_type === 'TXT' || a.record_type === 'CNAME') && (isAcmeOwner(a.name) || isWildcard(a.name));
}

/**
 * Names whose records a third party reads as a grant: underscore-scoped owners (`sel._domainkey`
 * keys that sign mail as the domain, `_dmarc`, verification tokens such as `_dnsauth`,
 * `_github-*-challenge`, SRV such as `_autodiscover._tcp`), and the few hosts clients and
 * senders trust by name: `autodiscover`/`autoconfig` (where a mail client sends its login),
 * `mta-sts` (the host serving the MTA-STS policy), `asuid` (Azure's domain verification),
 * `openpgpkey` (WKD: whose keys mail to the domain is encrypted to), `lyncdiscover` (Skype/Teams
 * sign-in) and `enterpriseregistration`/`enterpriseenrollment` (Windows device registration and MDM).
 */
const GRANTING_HOSTS = new Set(['autodiscover', 'autoconfig', 'mta-sts', 'asuid', 'openpgpkey', 'lyncdiscover', 'enterpriseregistration', 'enterpriseenrollment']);
const grantsByName = (name: string) => name.split('.').some((l) => l.startsWith('_')) || GRANTING_HOSTS.has(name.split('.')[0] ?? '');
/** SPF, DKIM and DMARC are read from the TXT value at whatever name it sits: `sub TXT "v=spf1 include:..."` lets that sender mail as `sub`. */
const GRANTING_TXT = /^v=(spf1|dkim1|dmarc1)(?![a-z0-9])/i;
const grantsByValue = (r: RecordSpec) => r.record_type === 'TXT' && GRANTING_TXT.test(r.value.replace(/"\s*"/g, '').replace(/^[\s"]+/, ''));

/** A create or repoint at a granting name or of a granting TXT value, or a wildcard (it answers for any name the zone does not define); DNS-01 records are acme_present's. */
function authorizes(c: Change): boolean {
  const a = afterOf(c);
  return a !== null && (points(c, 'value') || points(c, 'priority')) && (grantsByName(a.name) || grantsByValue(a) || isWildcard(a.name)) && !(isAcmeOwner(a.name) && presentsAcme(c));
}

const WHY: Record<MarkCode, string> = {
  mail_route: 'routes mail: a host becomes one of the best (lowest-priority) MX of a name, which it was not, and receives its mail',
  address_added: 'gives a name an address or CNAME target it did not have, beside or instead of its own: its traffic goes there',
  wildcard: 'changes a wildcard record, which answers for every name the zone does not define',
  caa: 'changes CAA records, which say which certificate authorities may issue for the domain',
  acme_present: 'adds or repoints an _acme-challenge TXT or CNAME (or a wildcard that answers for it): a TXT value proves control of the name to a certificate authority, a CNAME hands that proof to whoever runs its target',
  authorizes: 'writes a record that grants authority to whoever it names (an SPF, DKIM or DMARC TXT; a domain-verification token; a mail client\'s autodiscover or MTA-STS host)',
  apex: 'changes records at the apex: the domain itself',
  all: 'changes DNS (VPSORG_HUMAN_FOR=all: every write)',
};

/** Every mark the changes carry against the live zone (`current`, records of the zone `zone`), in a fixed order, with why in words. */
export function marksOf(changes: readonly Change[], current: readonly CurrentRecord[], zone: string): Array<{ code: MarkCode; why: string }> {
  return marksIn(changes, indexZone(current, zone));
}

/** marksOf against a zone indexed once (approval-order.ts asks for every change of a plan). */
export function marksIn(changes: readonly Change[], zone: ZoneIndex): Array<{ code: MarkCode; why: string }> {
  const { before, after } = beforeAfter(zone, changes);
  const has: Record<MarkCode, boolean> = {
    mail_route: namesGainingBestMx(before, after).length > 0,
    address_added: namesGainingTargets(before, after, zone.takesTraffic).length > 0,
    wildcard: changes.some((c) => subjects(c).some((r) => isWildcard(r.name))),
    caa: changes.some((c) => subjects(c).some((r) => r.record_type === 'CAA')),
    acme_present: changes.some(presentsAcme),
    authorizes: changes.some(authorizes),
    apex: changes.some((c) => subjects(c).some((r) => r.name === '@')),
    all: changes.length > 0,
  };
  return (Object.keys(WHY) as MarkCode[]).filter((k) => has[k]).map((code) => ({ code, why: WHY[code] }));
}

/** The marks this policy holds: those VPSORG_HUMAN_FOR (or VPSORG_REQUIRE_DISTINCT_APPROVER) names, and in `human` mode the hijack marks. */
export function heldMarks(policy: HoldPolicy | undefined): ReadonlySet<string> {
  if (!policy) return new Set();
  return new Set([...policy.humanFor, ...(policy.requireDistinctApprover ?? []), ...(policy.confirmMode === 'human' ? HIJACK_MARKS : [])]);
}
