/**
 * Fix calls for the zone's SPF and DMARC findings. A TXT value may be hostile text, so a record
 * is written somewhere new, or rewritten, only when every term of it parses as SPF mechanisms or
 * as known DMARC tags with valid values; otherwise the fix is an instruction. A record that stays
 * as it is may be listed as it is (an upsert keeps it).
 */
import { createFix, instruction, type FixCall } from './fix.js';
import { canHold, setFix, setTtl } from './fix-sets.js';
import { parseSpf } from './live/mail/spf-parse.js';
import { fqdn } from '../domain/names.js';
import type { Entry, ZoneIndex } from './zone-index.js';

export const MERGE_BY_HAND = 'Merge the SPF records at this name into one by hand (each term once, one "all"), then apply_zone: one of them holds modifiers or text the audit does not merge.';

const isAll = (t: string) => /^[-~?+]?all$/i.test(t);

/** The terms of an SPF record made only of valid mechanisms (no modifiers, nothing invalid), else null. */
export function spfTerms(text: string, domain: string): string[] | null {
  const p = parseSpf(text.trim(), domain.replace(/\.$/, ''));
  if (p.error !== null || p.terms.some((t) => t.kind === 'redirect' || t.kind === 'exp' || t.kind === 'modifier')) return null;
  return p.terms.map((t) => t.text);
}

/** Strictest first: a merge never widens what the records allowed. */
const ALL_ORDER = ['-all', '~all', '?all', '+all'];
const allRank = (t: string) => ALL_ORDER.indexOf(/^[-~?+]/.test(t) ? t.toLowerCase() : `+${t.toLowerCase()}`);

/** One record from several: every term once, one `all` (the strictest of them); null when one is not plain mechanisms. */
export function mergeSpf(texts: string[], domain: string): string | null {
  const terms: string[] = [];
  let all: string | null = null;
  for (const text of texts) {
    const own = spfTerms(text, domain);
    if (own === null) return null;
    for (const t of own) {
      if (isAll(t)) all = all === null || allRank(t) < allRank(all) ? t : all;
      else if (!terms.some((x) => x.toLowerCase() === t.toLowerCase())) terms.push(t);
    }
  }
  return ['v=spf1', ...terms, ...(all ? [all] : [])].join(' ');
}

const not = (e: Entry) => (x: Entry) => x !== e;
const isSpfEntry = (e: Entry) => /^v=spf1(\s|$)/i.test(e.spec.value.trim());

export function spfDuplicateFix(ix: ZoneIndex, name: string, spf: Entry[]): FixCall {
  const merged = mergeSpf(spf.map((e) => e.spec.value), fqdn(name, ix.zone));
  if (merged === null) return instruction(MERGE_BY_HAND);
  return setFix(ix, [{ name, type: 'TXT', keep: (e) => !isSpfEntry(e), add: [{ value: merged }] }]) ?? instruction('Merge the SPF records into one.');
}

export function spfPassAllFix(ix: ZoneIndex, e: Entry): FixCall {
  const terms = spfTerms(e.spec.value, fqdn(e.spec.name, ix.zone));
  if (terms === null) return instruction('Replace "+all" with "~all" or "-all" in this SPF record, then apply_zone: the record holds terms the audit does not rewrite.');
  const value = ['v=spf1', ...terms.map((t) => (isAll(t) ? '~all' : t))].join(' ');
  const tradeoff = '"~all" marks mail from servers the record does not list as suspect; "-all" has it rejected: use -all once every server that sends your mail is listed.';
  return setFix(ix, [{ name: e.spec.name, type: 'TXT', keep: not(e), add: [{ value }] }], tradeoff) ?? instruction('Replace "+all" with "~all".');
}

export function spfMissingFix(ix: ZoneIndex, mail: boolean): FixCall {
  if (mail) return instruction('Ask which services send mail as this domain (its mail provider, newsletter and billing tools), then create_record a TXT at @: "v=spf1 include:<each provider\'s SPF domain> ~all" (dry_run: true first).');
  if (!canHold(ix, '@')) return instruction('Publish TXT "v=spf1 -all" at the apex where the zone is served.');
  const tradeoff = 'Only if nothing sends mail as this domain (forms, invoices, a mail provider): receivers then reject all of it. Otherwise list those senders instead.';
  return createFix(ix.zone, { name: '@', record_type: 'TXT', value: 'v=spf1 -all', ttl: setTtl(ix, '@', 'TXT') }, tradeoff);
}
