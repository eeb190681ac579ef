import type { Sink } from './sink.js';
import { brief } from './sink.js';
import type { Entry, ZoneIndex } from './zone-index.js';
import { spfDuplicateFix, spfMissingFix, spfPassAllFix } from './fix-mail.js';
import { dmarcDuplicateFix, dmarcMissingFix, dmarcPolicyFix, dmarcWrongNameFix } from './fix-dmarc.js';

export const isSpf = (text: string): boolean => /^v=spf1(\s|$)/i.test(text.trim());
export const isDmarc = (text: string): boolean => /^v\s*=\s*DMARC1\s*(;|$)/i.test(text.trim());

/** DMARC tags (RFC 7489 6.3): `k=v` pairs separated by `;`, names case-insensitive. */
export function dmarcTags(text: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) tags.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  return tags;
}

/** Whether the domain takes part in mail: a real MX at the apex, or an SPF record that authorises senders. */
function handlesMail(ix: ZoneIndex): boolean {
  if (ix.at('@', 'MX').some((e) => e.spec.value !== '.')) return true;
  return ix.at('@', 'TXT').some((e) => isSpf(e.spec.value) && !/^v=spf1(\s+[-~?]all)?\s*$/i.test(e.spec.value.trim()));
}

const txt = (ix: ZoneIndex, name: string, test: (t: string) => boolean): Entry[] => ix.at(name, 'TXT').filter((e) => test(e.spec.value));

export function checkSpf(ix: ZoneIndex, sink: Sink): void {
  const names = new Set(ix.ofType('TXT').filter((e) => isSpf(e.spec.value)).map((e) => e.spec.name));
  for (const name of names) {
    const spf = txt(ix, name, isSpf);
    if (spf.length > 1) {
      sink.add({
        severity: 'error',
        code: 'spf_duplicate',
        name,
        message: `${spf.length} SPF records (TXT v=spf1) at ${name}: receivers treat that as a permanent error (RFC 7208 4.5), so SPF fails for all mail.`,
        fix: 'Merge them into one v=spf1 record (all include:/ip4:/ip6: terms, one all) and delete the others.',
        fix_call: spfDuplicateFix(ix, name, spf),
        entries: spf,
      });
    }
    for (const e of spf) {
      if (!/(^|\s)\+?all(\s|$)/i.test(e.spec.value)) continue;
      sink.add({
        severity: 'error',
        code: 'spf_pass_all',
        name,
        message: `${brief(e)} ends in "+all", which authorises every server on the internet to send as this domain.`,
        fix: 'Use "~all" (soft fail) or "-all" (fail) instead.',
        fix_call: spfPassAllFix(ix, e),
        entries: [e],
      });
    }
  }
  if (names.has('@')) return;
  const mail = ix.at('@', 'MX').some((e) => e.spec.value !== '.');
  sink.add({
    severity: mail ? 'warning' : 'info',
    code: 'spf_missing',
    name: '@',
    message: mail
      ? 'The zone receives mail (MX at the apex) but has no SPF record: receivers cannot tell which servers may send as this domain.'
      : 'No SPF record at the apex. A domain that sends no mail should say so, or anyone can send as it.',
    fix: mail ? 'Add one TXT record at @ such as "v=spf1 include:<your mail provider> ~all".' : 'Add a TXT record at @: "v=spf1 -all".',
    fix_call: spfMissingFix(ix, mail),
  });
}

export function checkDmarc(ix: ZoneIndex, sink: Sink): void {
  for (const e of ix.ofType('TXT')) {
    if (!isDmarc(e.spec.value) || e.spec.name === '_dmarc' || e.spec.name.startsWith('_dmarc.')) continue;
    sink.add({
      severity: 'warning',
      code: 'dmarc_wrong_name',
      name: e.spec.name,
      message: `${brief(e)} is a DMARC record, but receivers only look for DMARC at _dmarc.<domain>: this one is ignored.`,
      fix: `Create it at _dmarc${e.spec.name === '@' ? '' : `.${e.spec.name}`} instead and delete this one.`,
      fix_call: dmarcWrongNameFix(ix, e),
      entries: [e],
    });
  }
  const dmarc = txt(ix, '_dmarc', isDmarc);
  if (dmarc.length === 0) {
    const mail = handlesMail(ix);
    sink.add({
      severity: mail ? 'warning' : 'info',
      code: 'dmarc_missing',
      name: '_dmarc',
      message: mail
        ? 'No DMARC record at _dmarc: receivers get no policy for mail that fails SPF/DKIM, and you get no reports.'
        : 'No DMARC record at _dmarc. A domain that sends no mail can publish "v=DMARC1; p=reject" to stop spoofing.',
      fix: 'Add one TXT record at _dmarc, e.g. "v=DMARC1; p=quarantine; rua=mailto:dmarc@<domain>" (start with p=none to monitor).',
      fix_call: dmarcMissingFix(ix),
    });
    return;
  }
  if (dmarc.length > 1) {
    sink.add({
      severity: 'error',
      code: 'dmarc_duplicate',
      name: '_dmarc',
      message: `${dmarc.length} DMARC records at _dmarc: receivers then apply no DMARC policy at all (RFC 7489 6.6.3).`,
      fix: 'Keep one v=DMARC1 record at _dmarc and delete the others.',
      fix_call: dmarcDuplicateFix(ix, dmarc),
      entries: dmarc,
    });
  }
  for (const e of dmarc) {
    const p = dmarcTags(e.spec.value).get('p')?.toLowerCase();
    if (p === 'quarantine' || p === 'reject') continue;
    if (p === 'none') {
      sink.add({
        severity: 'info',
        code: 'dmarc_policy_none',
        name: '_dmarc',
        message: 'DMARC policy is p=none: failing mail is only reported, not quarantined or rejected.',
        fix: 'Once the reports show your own mail passes, change it to p=quarantine, then p=reject.',
        fix_call: dmarcPolicyFix(ix, e, p),
        entries: [e],
      });
      continue;
    }
    sink.add({
      severity: 'error',
      code: 'dmarc_invalid_policy',
      name: '_dmarc',
      message: `${brief(e)} has ${p === undefined ? 'no p= tag' : `p=${p}, which is not a policy`}: receivers may ignore the record.`,
      fix: 'Set p=none, p=quarantine or p=reject as the second tag, right after v=DMARC1.',
      fix_call: dmarcPolicyFix(ix, e, p),
      entries: [e],
    });
  }
}
