/**
 * The zone's MX set as served: every target must resolve to an address and must not be a CNAME
 * (RFC 2181 10.3, RFC 5321 5.1: many senders refuse or mishandle it). A null MX (`0 .`, RFC
 * 7505) says "no mail here": it must be the only MX, and the domain should then publish
 * `v=spf1 -all`. (VPS.org refuses null MX, but a zone served elsewhere or imported may hold one.)
 */
import type { AuditRecord } from '../../types.js';
import type { LiveAnswer, LiveFinding, LiveResolver } from '../types.js';
import { isSpfText } from './spf-parse.js';
import { applySets, at, finding, instruction, replaceTxt } from './fix.js';
import type { MailOptions } from './options.js';

export interface ServedMx {
  priority: number;
  host: string;
}

export function servedMx(a: LiveAnswer): ServedMx[] {
  return a.records.map((r) => {
    const [p = '0', h = ''] = r.value.split(' ');
    return { priority: Number(p), host: h.toLowerCase() };
  });
}

const isNull = (m: ServedMx) => m.host === '.' || m.host === '';
const bare = (h: string) => h.replace(/\.$/, '');
const sameHost = (r: AuditRecord, host: string) => bare(r.value.toLowerCase()) === bare(host);

export async function checkMxLive(zone: string, records: readonly AuditRecord[], resolver: LiveResolver, opts: MailOptions = {}): Promise<LiveFinding[]> {
  const got = await resolver.lookup(zone, 'MX');
  const own = at(records, '@', 'MX');
  if (got.status === 'error' || got.status === 'budget') {
    opts.skip?.('mx', `${zone} MX could not be looked up: ${got.detail}`, own);
    return [];
  }
  const mx = servedMx(got);
  const out: LiveFinding[] = [];
  const nulls = mx.filter(isNull);
  if (nulls.length) {
    if (nulls.length < mx.length) {
      out.push(finding('error', 'mx_null_mixed', '@', `A null MX ("0 .", RFC 7505) is served beside ${mx.length - nulls.length} other MX: senders cannot tell whether the domain takes mail.`, 'Keep either the null MX or the real ones.', applySets(zone, records, [{ name: '@', type: 'MX', keep: (r) => r.value !== '.' && r.value !== '', add: [] }], 'Removes the null MX: the domain receives mail at the other MX hosts.'), own));
    } else if (nulls.some((n) => n.priority !== 0)) {
      out.push(finding('warning', 'mx_null_priority', '@', 'The null MX has a priority other than 0 (RFC 7505 3 says 0).', 'Use priority 0.', instruction('Set the null MX priority to 0 where the zone is served.'), own));
    }
    const spf = await resolver.lookup(zone, 'TXT');
    const texts = spf.records.map((r) => r.value).filter(isSpfText);
    if (spf.status !== 'error' && spf.status !== 'budget' && !texts.some((t) => /^v=spf1\s+-all$/i.test(t.trim()))) {
      out.push(finding('warning', 'mx_null_spf', '@', `The domain refuses mail (null MX) but its SPF ${texts.length ? `("${texts[0]}") authorises senders` : 'record is missing'}: a domain that takes no mail usually sends none, and should say so with "v=spf1 -all".`, 'Publish "v=spf1 -all" at @.', replaceTxt(zone, records, '@', isSpfText, 'v=spf1 -all', 'Only if nobody sends mail as this domain: every receiver then rejects mail from it.'), at(records, '@', 'TXT').filter((r) => isSpfText(r.value))));
    }
  }
  const real = mx.filter((m) => !isNull(m));
  for (const m of real) {
    const [a, aaaa] = await Promise.all([resolver.lookup(m.host, 'A'), resolver.lookup(m.host, 'AAAA')]);
    const rec = own.filter((r) => sameHost(r, m.host));
    if ([a, aaaa].some((x) => x.status === 'error' || x.status === 'budget')) {
      opts.skip?.('mx_target', `${m.host} could not be looked up: ${a.detail}`, rec);
      continue;
    }
    const cname = a.cnames[0] ?? aaaa.cnames[0];
    if (!a.records.length && !aaaa.records.length) {
      const others = real.filter((o) => o.host !== m.host);
      const fix = others.length
        ? applySets(zone, records, [{ name: '@', type: 'MX', keep: (r) => !sameHost(r, m.host), add: [] }], `Mail then goes only to ${others.map((o) => bare(o.host)).join(', ')}.`)
        : instruction(`Point the MX at your mail provider's host (apply_zone with the MX set), or give ${bare(m.host)} an address.`);
      out.push(finding('error', 'mx_unresolvable', '@', `MX ${m.priority} ${bare(m.host)} has no address (${a.status}${cname ? ` after CNAME to ${bare(cname.value)}` : ''}): senders cannot deliver to it.`, others.length ? 'Remove it.' : 'Point the MX at a host that exists.', fix, rec));
      continue;
    }
    if (cname) {
      const target = bare(a.cnames.at(-1)?.value ?? aaaa.cnames.at(-1)?.value ?? '');
      // The provider refuses two MX with the same host: when the target is an MX already, the alias only goes.
      const listed = real.some((o) => bare(o.host) === target);
      const fix = applySets(zone, records, [{ name: '@', type: 'MX', keep: (r) => !sameHost(r, m.host), add: listed ? [] : rec.map((r) => ({ value: `${target}.`, priority: r.priority ?? m.priority })) }]);
      out.push(finding('warning', 'mx_cname', '@', `MX ${m.priority} ${bare(m.host)} is a CNAME (to ${target}): an MX must name a host with addresses (RFC 2181 10.3); some senders refuse it.`, `Point the MX at ${target} directly.`, fix, rec));
    }
  }
  return out;
}
