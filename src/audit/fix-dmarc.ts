/**
 * Fix calls for the zone's DMARC findings (RFC 7489). A DMARC record is moved or rewritten only
 * when each of its tags is one RFC 7489 (or RFC 9091's np) defines, with a value of that tag's
 * syntax: a TXT value may be hostile text, and this keeps any such text out of a new record.
 */
import { createFix, deleteFix, instruction, type FixCall } from './fix.js';
import { callName, canHold, setFix, setTtl } from './fix-sets.js';
import { isDmarc } from './checks-mail.js';
import type { Entry, ZoneIndex } from './zone-index.js';

const POLICY = /^(none|quarantine|reject)$/i;
const URI = /^mailto:[a-z0-9._%+=-]+@[a-z0-9-]+(\.[a-z0-9-]+)+\.?(![0-9]+[kmgt]?)?$/i;
const uris = (v: string) => v.split(',').every((u) => URI.test(u.trim()));
const TAGS: Record<string, (v: string) => boolean> = {
  v: (v) => /^DMARC1$/i.test(v),
  p: (v) => POLICY.test(v),
  sp: (v) => POLICY.test(v),
  np: (v) => POLICY.test(v),
  adkim: (v) => /^[rs]$/i.test(v),
  aspf: (v) => /^[rs]$/i.test(v),
  pct: (v) => /^(100|[1-9]?[0-9])$/.test(v),
  fo: (v) => /^[01ds](:[01ds])*$/i.test(v),
  rf: (v) => /^(afrf|iodef)(:(afrf|iodef))*$/i.test(v),
  ri: (v) => /^[0-9]{1,10}$/.test(v),
  rua: uris,
  ruf: uris,
};

/** The record's tags in order, when it is made only of known tags with valid values (`p` may be anything with anyP); else null. */
export function dmarcClean(text: string, anyP = false): Array<[string, string]> | null {
  const out: Array<[string, string]> = [];
  for (const part of text.split(';').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z]+)\s*=\s*(.*)$/i.exec(part);
    const tag = m?.[1]?.toLowerCase() ?? '';
    const value = m?.[2] ?? '';
    const valid = TAGS[tag];
    if (!valid || out.some(([k]) => k === tag) || (!valid(value) && !(anyP && tag === 'p'))) return null;
    out.push([tag, value]);
  }
  return out[0]?.[0] === 'v' ? out : null;
}

/** `v=DMARC1; p=<p>;` then the other tags as they were. */
const withPolicy = (tags: Array<[string, string]>, p: string) => ['v=DMARC1', `p=${p}`, ...tags.filter(([k]) => k !== 'v' && k !== 'p').map(([k, v]) => `${k}=${v}`)].join('; ');

const not = (e: Entry) => (x: Entry) => x !== e;
const rewrite = (ix: ZoneIndex, e: Entry, value: string, tradeoff: string) => setFix(ix, [{ name: e.spec.name, type: 'TXT', keep: not(e), add: [{ value }] }], tradeoff);

/** p=none -> p=quarantine, or a missing/invalid p -> p=none; the other tags stay. */
export function dmarcPolicyFix(ix: ZoneIndex, e: Entry, p: string | undefined): FixCall {
  const tags = dmarcClean(e.spec.value, p !== 'none');
  if (tags === null) return instruction(`Set ${p === 'none' ? 'p=quarantine' : 'p=none'} right after v=DMARC1 in this record, then apply_zone: the record holds tags the audit does not rewrite.`);
  if (p === 'none') return rewrite(ix, e, withPolicy(tags, 'quarantine'), 'Only once the DMARC reports show your own mail passes: receivers then send mail that fails to spam, yours included.') ?? instruction('Set p=quarantine.');
  return rewrite(ix, e, withPolicy(tags, 'none'), 'p=none only asks for reports; move to quarantine, then reject, once they show your own mail passes.') ?? instruction('Set p=none.');
}

export function dmarcMissingFix(ix: ZoneIndex): FixCall {
  if (!canHold(ix, '_dmarc')) return instruction('Publish TXT "v=DMARC1; p=none" where _dmarc is served (it is a CNAME or delegated elsewhere).');
  const tradeoff = 'p=none only monitors: failing mail is still delivered. Add rua=mailto:<a mailbox you read> for reports, then move to p=quarantine and p=reject once they show your own mail passes (a domain that sends no mail can take p=reject at once).';
  return createFix(ix.zone, { name: '_dmarc', record_type: 'TXT', value: 'v=DMARC1; p=none', ttl: setTtl(ix, '_dmarc', 'TXT') }, tradeoff);
}

const STRENGTH = ['reject', 'quarantine', 'none'];
const strength = (e: Entry) => {
  const p = dmarcClean(e.spec.value)?.find(([k]) => k === 'p')?.[1].toLowerCase();
  return p === undefined ? STRENGTH.length : STRENGTH.indexOf(p);
};

/** Keeps the valid record with the strongest policy (the first of equals), deletes the others. */
export function dmarcDuplicateFix(ix: ZoneIndex, dmarc: Entry[]): FixCall {
  const keep = [...dmarc].sort((a, b) => strength(a) - strength(b))[0] as Entry;
  const tradeoff = 'Keeps one record as it is; tags only the others hold (rua report addresses) go: add any you need to it first.';
  return setFix(ix, [{ name: '_dmarc', type: 'TXT', keep: (e) => e === keep || !isDmarc(e.spec.value) }], tradeoff) ?? instruction('Keep one DMARC record.');
}

/**
 * A DMARC record at `name` moves to `_dmarc.<name>`. Upsert cannot empty the old set, so when the
 * record is the only TXT there, the move takes two calls: create it at the right name now, and the
 * next audit's fix (the record is then a copy) deletes it.
 */
export function dmarcWrongNameFix(ix: ZoneIndex, e: Entry): FixCall {
  const name = e.spec.name;
  const target = name === '@' ? '_dmarc' : `_dmarc.${name}`;
  const there = ix.at(target, 'TXT').filter((x) => isDmarc(x.spec.value));
  if (there.length) return deleteFix(ix.zone, { name: callName(name, ix.zone), record_type: 'TXT', value: e.src.value }, 'The DMARC record already at the right name stays; this one is ignored by receivers today.');
  if (dmarcClean(e.spec.value) === null || !canHold(ix, target)) return instruction('Create this DMARC record at the _dmarc name of its domain by hand and delete it here: it holds tags the audit does not copy, or that name is a CNAME or delegated.');
  const tradeoff = 'Receivers then apply the policy this record states, which they ignore today.';
  const move = setFix(ix, [{ name, type: 'TXT', keep: not(e), add: [] }, { name: target, type: 'TXT', keep: () => true, add: [{ value: e.spec.value }] }], tradeoff);
  return move ?? createFix(ix.zone, { name: callName(target, ix.zone), record_type: 'TXT', value: e.spec.value, ttl: setTtl(ix, target, 'TXT') }, `${tradeoff} It is the only TXT record at its name, so run audit_zone again after: the next fix deletes it there.`);
}
