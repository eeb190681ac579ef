/**
 * The parked-domain recipe: a domain that neither receives nor sends mail should say so, or
 * anyone can send as it. The recipe (RFC 7505, RFC 7208, RFC 7489; M3AAWG's parked-domain
 * practice): a null MX, `v=spf1 -all`, and DMARC `p=reject`. VPS.org refuses a null MX, so the
 * fix call publishes the other two; with no MX at all, senders fall back to the A record.
 */
import type { AuditRecord } from '../../types.js';
import type { LiveFinding, LiveResolver } from '../types.js';
import { dmarcTags, isDmarc } from '../../checks-mail.js';
import { isSpfText } from './spf-parse.js';
import { applySets, at, finding } from './fix.js';
import { servedMx } from './mx.js';
import type { MailOptions } from './options.js';

export const PARKED_SPF = 'v=spf1 -all';
export const PARKED_DMARC = 'v=DMARC1; p=reject;';

export async function checkParkedLive(zone: string, records: readonly AuditRecord[], resolver: LiveResolver, opts: MailOptions = {}): Promise<LiveFinding[]> {
  const [mx, txt, dmarc] = await Promise.all([resolver.lookup(zone, 'MX'), resolver.lookup(zone, 'TXT'), resolver.lookup(`_dmarc.${zone}`, 'TXT')]);
  if ([mx, txt, dmarc].some((a) => a.status === 'error' || a.status === 'budget')) {
    opts.skip?.('parked_domain', `${zone}: MX, TXT or _dmarc could not be looked up`, []);
    return [];
  }
  // A real MX, or an SPF record that authorises anyone, means the domain has mail.
  if (servedMx(mx).some((m) => m.host !== '.' && m.host !== '')) return [];
  const spf = txt.records.map((r) => r.value).filter(isSpfText);
  if (spf.some((t) => !/^v=spf1\s+-all$/i.test(t.trim()))) return [];
  const policy = dmarc.records.map((r) => r.value).filter(isDmarc).map((t) => dmarcTags(t).get('p')?.toLowerCase());
  const missing = [spf.length === 1 ? null : '"v=spf1 -all" at @', policy.length === 1 && policy[0] === 'reject' ? null : 'DMARC "p=reject" at _dmarc'].filter((x): x is string => x !== null);
  if (!missing.length) return [];
  const sets = [
    { name: '@', type: 'TXT', keep: (r: AuditRecord) => !isSpfText(r.value), add: [{ value: PARKED_SPF }] },
    { name: '_dmarc', type: 'TXT', keep: (r: AuditRecord) => !isDmarc(r.value), add: [{ value: PARKED_DMARC }] },
  ];
  return [
    finding(
      'info',
      'mail_parked_recipe',
      '@',
      `${zone} has no MX: if it sends and receives no mail, it lacks ${missing.join(' and ')}, so anyone can send mail as it. The parked-domain recipe is a null MX, "v=spf1 -all" and DMARC "p=reject"; VPS.org refuses a null MX, so the fix publishes the other two.`,
      'Apply the recipe if the domain has no mail.',
      applySets(zone, records, sets, 'Only if no one sends mail as this domain (including forms, invoices or a mail provider you forgot): receivers then reject all of it.'),
      [...at(records, '@', 'TXT').filter((r) => isSpfText(r.value)), ...at(records, '_dmarc', 'TXT')],
    ),
  ];
}
