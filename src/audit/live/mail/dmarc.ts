/**
 * DMARC as served (RFC 7489): the tags receivers read, and the report destinations. A `rua` or
 * `ruf` address in another domain receives reports only if that domain authorises it with a
 * TXT record `<zone>._report._dmarc.<destination>` starting `v=DMARC1` (RFC 7489 7.1); without
 * it, receivers send no reports there. The policy itself (missing, p=none) is the zone audit's.
 */
import type { AuditRecord } from '../../types.js';
import type { LiveFinding, LiveFix, LiveResolver } from '../types.js';
import { dmarcTags, isDmarc } from '../../checks-mail.js';
import { at, finding, instruction, replaceTxt } from './fix.js';
import type { MailOptions } from './options.js';
import { DIFFERS } from './spf.js';

const POLICIES = ['none', 'quarantine', 'reject'];

/** The domain of each `mailto:` URI in a rua/ruf list (a `!size` suffix allowed, RFC 7489 6.2). */
export function reportDomains(list: string): { uri: string; domain: string | null }[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((uri) => {
      const m = /^mailto:[^@\s]+@([^!\s]+)(?:![0-9]+[kmgt]?)?$/i.exec(uri);
      return { uri, domain: m?.[1]?.toLowerCase().replace(/\.$/, '') ?? null };
    });
}

function tagProblems(tags: Map<string, string>): string[] {
  const out: string[] = [];
  const sp = tags.get('sp');
  if (sp !== undefined && !POLICIES.includes(sp.toLowerCase())) out.push(`sp=${sp} is not a policy (none, quarantine, reject)`);
  for (const k of ['adkim', 'aspf']) {
    const v = tags.get(k);
    if (v !== undefined && !/^[rs]$/i.test(v)) out.push(`${k}=${v}: alignment is "r" (relaxed) or "s" (strict)`);
  }
  const pct = tags.get('pct');
  if (pct !== undefined && !(/^\d{1,3}$/.test(pct) && Number(pct) <= 100)) out.push(`pct=${pct} is not a percentage 0-100`);
  const fo = tags.get('fo');
  if (fo !== undefined && !/^[01ds](:[01ds])*$/i.test(fo)) out.push(`fo=${fo}: failure options are 0, 1, d, s separated by ":"`);
  return out;
}

/**
 * The fix is the zone's own record without its invalid tags, never the served one rebuilt: a
 * served rua/ruf the zone does not hold (stale, or another server's) must not be written back.
 */
function ownTagFix(zone: string, records: readonly AuditRecord[], own: AuditRecord[], served: string): LiveFix {
  const mine = own.length === 1 ? (own[0] as AuditRecord).value : null;
  if (mine === null) return instruction(`The zone holds ${own.length} DMARC records at _dmarc, not one: correct the invalid tags in the zone's own record, then apply_zone.`);
  const tags = dmarcTags(mine);
  const problems = tagProblems(tags);
  const differs = mine.trim() !== served.trim() ? DIFFERS : '';
  if (!problems.length) return instruction(`The zone's own record at _dmarc has no invalid tags.${differs}`);
  const fixed = [...tags].filter(([k]) => !problems.some((p) => p.startsWith(`${k}=`))).map(([k, v]) => `${k}=${v}`).join('; ');
  const fix = replaceTxt(zone, records, '_dmarc', isDmarc, fixed);
  return differs ? { ...fix, tradeoff: `Built from the zone's own record.${differs}` } : fix;
}

export async function checkDmarcLive(zone: string, records: readonly AuditRecord[], resolver: LiveResolver, opts: MailOptions = {}): Promise<LiveFinding[]> {
  const name = `_dmarc.${zone}`;
  const got = await resolver.lookup(name, 'TXT');
  const own = at(records, '_dmarc', 'TXT').filter((r) => isDmarc(r.value));
  if (got.status === 'error' || got.status === 'budget') {
    opts.skip?.('dmarc', `${name} TXT could not be looked up: ${got.detail}`, own);
    return [];
  }
  const served = got.records.map((r) => r.value).filter(isDmarc);
  if (served.length !== 1) return []; // none or several: the zone audit reports both
  const text = served[0] as string;
  const tags = dmarcTags(text);
  const out: LiveFinding[] = [];
  const problems = tagProblems(tags);
  if (problems.length) out.push(finding('error', 'dmarc_invalid_tag', '_dmarc', `DMARC record has invalid tags: ${problems.join('; ')}. Receivers may ignore the record.`, 'Correct or remove those tags (the fix call removes them).', ownTagFix(zone, records, own, text), own));
  for (const key of ['rua', 'ruf']) {
    const list = tags.get(key);
    if (list === undefined) continue;
    for (const { uri, domain } of reportDomains(list)) {
      if (domain === null) {
        out.push(finding('error', 'dmarc_report_uri', '_dmarc', `${key} destination "${uri}" is not a mailto: address: receivers send no reports there.`, `Write it as mailto:name@domain.`, instruction(`Change ${key} in the DMARC record at _dmarc to mailto:<mailbox>@<domain> addresses, then apply_zone.`), own));
        continue;
      }
      if (domain === zone || domain.endsWith(`.${zone}`)) continue;
      const auth = `${zone}._report._dmarc.${domain}`;
      const a = await resolver.lookup(auth, 'TXT');
      if (a.status === 'error' || a.status === 'budget') {
        opts.skip?.('dmarc_report_authorisation', `${auth} TXT could not be looked up: ${a.detail}`, own);
        continue;
      }
      if (a.records.some((r) => /^v=DMARC1\s*(;|$)/i.test(r.value.trim()))) continue;
      out.push(
        finding(
          'warning',
          'dmarc_report_unauthorised',
          '_dmarc',
          `${key} sends reports to ${domain}, which does not authorise them: no TXT "v=DMARC1" at ${auth} (RFC 7489 7.1), so receivers send those reports nowhere.`,
          `The owner of ${domain} publishes TXT ${auth} "v=DMARC1"; or use a mailbox in ${zone}.`,
          instruction(`Ask the owner of ${domain} (your DMARC report service) to publish TXT ${auth} "v=DMARC1"; or point ${key} at a mailbox in ${zone}.`),
          own,
        ),
      );
    }
  }
  return out;
}
