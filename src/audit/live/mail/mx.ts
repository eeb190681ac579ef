/**
 * The zone's MX set as served: no target may be a CNAME (RFC 2181 10.3), inside the zone or out;
 * targets inside the zone must have an address (those outside are the dangling-target check's).
 * The codes are the zone audit's (mx_target_cname, mx_target_no_address): the live finding, with
 * its fix call, takes the place of the one read from the records. A null MX (`0 .`, RFC
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

/**
 * Where `host`'s CNAME chain ends following only the zone's own records (null when it leaves the
 * zone or the zone holds no CNAME there): the fix must not pin a third party's chain, or
 * whatever a server answered, as the zone's MX.
 */
function ownAliasEnd(zone: string, records: readonly AuditRecord[], host: string): string | null {
  let name = bare(host.toLowerCase());
  for (let hops = 0; hops < 8; hops++) {
    if (name !== zone && !name.endsWith(`.${zone}`)) return null;
    const rel = name === zone ? '@' : name.slice(0, -zone.length - 1);
    const c = at(records, rel, 'CNAME')[0];
    if (!c) return hops === 0 ? null : name;
    name = bare(c.value.toLowerCase());
  }
  return null;
}

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
  const inZone = (h: string) => bare(h) === zone || bare(h).endsWith(`.${zone}`);
  for (const m of real) {
    const [a, aaaa] = await Promise.all([resolver.lookup(m.host, 'A'), resolver.lookup(m.host, 'AAAA')]);
    const rec = own.filter((r) => sameHost(r, m.host));
    if ([a, aaaa].some((x) => x.status === 'error' || x.status === 'budget')) {
      opts.skip?.('mx_target', `${m.host} could not be looked up: ${a.detail}`, rec);
      continue;
    }
    const cname = a.cnames[0] ?? aaaa.cnames[0];
    // Targets outside the zone that do not resolve are the dangling-target check's (targets.ts).
    if (!a.records.length && !aaaa.records.length) {
      if (!inZone(m.host)) continue;
      const others = real.filter((o) => o.host !== m.host);
      const fix = others.length
        ? applySets(zone, records, [{ name: '@', type: 'MX', keep: (r) => !sameHost(r, m.host), add: [] }], `Mail then goes only to ${others.map((o) => bare(o.host)).join(', ')}.`)
        : instruction(`Give ${bare(m.host)} an A record (apply_zone), or point the MX at your mail provider's host.`);
      out.push(finding('error', 'mx_target_no_address', '@', `MX ${m.priority} ${bare(m.host)} has no address as served (${a.status}${cname ? ` after CNAME to ${bare(cname.value)}` : ''}): mail cannot be delivered there.`, others.length ? 'Remove it, or give it an address.' : 'Give it an address.', fix, rec));
      continue;
    }
    if (cname) {
      const target = bare(a.cnames.at(-1)?.value ?? aaaa.cnames.at(-1)?.value ?? '');
      const own = ownAliasEnd(zone, records, m.host);
      // The provider refuses two MX with the same host: when the target is an MX already, the alias only goes.
      const listed = own !== null && real.some((o) => bare(o.host) === own);
      const fix =
        own === null || !rec.length
          ? instruction(`Point the MX ${bare(m.host)} at the mail host it stands for: ${inZone(m.host) ? `the zone's own records do not lead from it to a host in ${zone}` : `it is outside ${zone}`}, so ask its owner which host to use (servers answer ${target} today, which is theirs to change), then apply_zone.`)
          : applySets(zone, records, [{ name: '@', type: 'MX', keep: (r) => !sameHost(r, m.host), add: listed ? [] : rec.map((r) => ({ value: `${own}.`, priority: r.priority ?? m.priority })) }]);
      out.push(finding('error', 'mx_target_cname', '@', `MX ${m.priority} ${bare(m.host)} is a CNAME (to ${target}): MX targets must not be aliases (RFC 2181 10.3), and many servers refuse or mishandle them.`, `Point the MX at ${own ?? target} directly.`, fix, rec));
    }
  }
  return out;
}
