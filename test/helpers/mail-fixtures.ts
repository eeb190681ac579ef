/**
 * The mail audit's fixture internet (issue 25.2): SPF cases at names under `spfcases.test`, each
 * with what it exercises, and a provider zone `p.test` with the records they include, look up
 * and redirect to. Served by the sandbox's nameservers under its stand-in root.
 */
import type { SeedRecord } from '../../src/emulator/types.js';

export const CASES_ZONE = 'spfcases.test';
export const PROVIDER = 'p.test';
/** The sender every case is evaluated for: listed by no record except where a case says so. */
export const SENDER_IP = '192.0.2.99';

const txt = (name: string, value: string): SeedRecord => ({ record_type: 'TXT', name, value, ttl: 300 });
const a = (name: string, value: string): SeedRecord => ({ record_type: 'A', name, value, ttl: 300 });
const mx = (name: string, value: string, priority: number): SeedRecord => ({ record_type: 'MX', name, value, ttl: 300, priority });
const hosts = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `a:h${i + from}.${PROVIDER}`).join(' ');

export interface SpfCase {
  name: string;
  spf: string[];
  /** What the case exercises. */
  about: string;
}

/** name -> SPF TXT values (several for the two-records case); other TXT where a case needs it. */
export const SPF_CASES: SpfCase[] = [
  { name: 'pass-ip4', spf: ['v=spf1 ip4:192.0.2.0/24 -all'], about: 'listed sender: pass, no lookups' },
  { name: 'fail-all', spf: ['v=spf1 ip4:198.51.100.1 -all'], about: 'unlisted sender: fail' },
  { name: 'softfail', spf: [`v=spf1 a:h1.${PROVIDER} ~all`], about: '~all after one a lookup' },
  { name: 'neutral', spf: [`v=spf1 a:h1.${PROVIDER}`], about: 'no all: neutral' },
  { name: 'l9', spf: [`v=spf1 include:leaf.${PROVIDER} mx:${PROVIDER} ${hosts(7)} -all`], about: '9 lookups' },
  { name: 'l10', spf: [`v=spf1 include:leaf.${PROVIDER} mx:${PROVIDER} ${hosts(8)} -all`], about: '10 lookups: at the limit' },
  { name: 'l11', spf: [`v=spf1 include:leaf.${PROVIDER} mx:${PROVIDER} ${hosts(9)} -all`], about: '11 lookups: permerror' },
  { name: 'l12', spf: [`v=spf1 include:ten.${PROVIDER} a:h11.${PROVIDER} -all`], about: '12 lookups, 10 of them inside an include' },
  { name: 'void2', spf: [`v=spf1 a:nx1.${PROVIDER} a:nx2.${PROVIDER} -all`], about: '2 void lookups: still allowed' },
  { name: 'void3', spf: [`v=spf1 a:nx1.${PROVIDER} a:nx2.${PROVIDER} a:nx3.${PROVIDER} -all`], about: '3 void lookups: permerror' },
  { name: 'void-in-include', spf: [`v=spf1 a:nx1.${PROVIDER} include:voidy.${PROVIDER} -all`], about: 'the third void is inside an include' },
  { name: 'redirect', spf: [`v=spf1 redirect=leaf.${PROVIDER}`], about: 'redirect followed' },
  { name: 'redirect-all', spf: [`v=spf1 ip4:198.51.100.1 ~all redirect=leaf.${PROVIDER}`], about: 'redirect ignored: all present' },
  { name: 'redirect-missing', spf: [`v=spf1 redirect=nospf.${PROVIDER}`], about: 'redirect to a name without SPF' },
  { name: 'redirect-twice', spf: [`v=spf1 redirect=leaf.${PROVIDER} redirect=ten.${PROVIDER}`], about: 'two redirects: syntax error' },
  { name: 'redirect-loop', spf: [`v=spf1 redirect=rloop.${PROVIDER}`], about: 'redirect loop' },
  { name: 'include-missing', spf: [`v=spf1 include:nx.${PROVIDER} -all`], about: 'include of a name that does not exist' },
  { name: 'include-nospf', spf: [`v=spf1 include:nospf.${PROVIDER} -all`], about: 'include of a name without SPF' },
  { name: 'include-cname', spf: [`v=spf1 include:alias.${PROVIDER} -all`], about: 'include target reached through a CNAME' },
  { name: 'loop', spf: [`v=spf1 include:loop-b.${PROVIDER} -all`], about: 'include loop across zones' },
  { name: 'self-include', spf: [`v=spf1 include:self-include.${CASES_ZONE} -all`], about: 'include of itself' },
  { name: 'mx10', spf: [`v=spf1 mx:mx10.${PROVIDER} -all`], about: 'mx with 10 hosts' },
  { name: 'mx11', spf: [`v=spf1 mx:mx11.${PROVIDER} -all`], about: 'mx with 11 hosts: permerror' },
  { name: 'macro-exists', spf: [`v=spf1 exists:%{i}._spf.${PROVIDER} -all`], about: 'macro %{i}: expanded for the sender address' },
  { name: 'macro-a', spf: [`v=spf1 a:%{l}.${PROVIDER} ~all`], about: 'macro %{l} in a: (the sender is not given): counted, not looked up' },
  { name: 'bad-macro', spf: [`v=spf1 exists:%{z}.${PROVIDER} -all`], about: 'unknown macro letter' },
  { name: 'long', spf: [`v=spf1 ${Array.from({ length: 20 }, (_, i) => `ip4:198.51.100.${i + 1}`).join(' ')} include:leaf.${PROVIDER} -all`], about: 'a record split over 255 bytes' },
  { name: 'bad-mechanism', spf: ['v=spf1 ip4:192.0.2.1 foo -all'], about: 'unknown mechanism' },
  { name: 'bad-ip', spf: ['v=spf1 ip4:192.0.2.300 -all'], about: 'bad address' },
  { name: 'bad-cidr', spf: [`v=spf1 a:h1.${PROVIDER}/33 -all`], about: 'prefix too long' },
  { name: 'comma', spf: [`v=spf1 a:h1.${PROVIDER}, -all`], about: 'terms separated by a comma' },
  { name: 'not-fqdn', spf: ['v=spf1 include:localhost -all'], about: 'include of a single-label name' },
  { name: 'two-records', spf: ['v=spf1 -all', 'v=spf1 ~all'], about: 'more than one SPF record' },
  { name: 'no-spf', spf: [], about: 'no SPF record: none' },
  { name: 'after-all', spf: [`v=spf1 -all include:leaf.${PROVIDER}`], about: 'terms after all are never evaluated' },
  { name: 'ptr', spf: [`v=spf1 ptr:${PROVIDER} -all`], about: 'ptr (deprecated): the sender has no PTR' },
  { name: 'a-listed', spf: [`v=spf1 a:h99.${PROVIDER} -all`], about: 'a: lists the sender: pass' },
  { name: 'exists-match', spf: [`v=spf1 exists:h1.${PROVIDER} -all`], about: 'exists matches' },
];

export function casesZone(): SeedRecord[] {
  const records = SPF_CASES.flatMap((c) => c.spf.map((v) => txt(c.name, v)));
  records.push(txt('no-spf', 'hello=world'));
  return records;
}

export function providerZone(): SeedRecord[] {
  const out: SeedRecord[] = [
    txt('leaf', 'v=spf1 ip4:198.51.100.0/28 -all'),
    txt('ten', `v=spf1 ${hosts(10)} -all`),
    txt('voidy', `v=spf1 a:nx2.${PROVIDER} a:nx3.${PROVIDER} -all`),
    txt('nospf', 'google-site-verification=abc'),
    txt('rloop', `v=spf1 redirect=redirect-loop.${CASES_ZONE}`),
    txt('loop-b', `v=spf1 include:loop.${CASES_ZONE} -all`),
    { record_type: 'CNAME', name: 'alias', value: `leaf.${PROVIDER}.`, ttl: 300 },
    a('h99', SENDER_IP),
    a('postmaster', '198.51.100.20'),
    mx('@', `m1.${PROVIDER}.`, 10),
  ];
  for (let i = 1; i <= 11; i++) out.push(a(`h${i}`, `198.51.100.${100 + i}`), a(`m${i}`, `198.51.100.${200 + i}`));
  for (let i = 1; i <= 10; i++) out.push(mx('mx10', `m${i}.${PROVIDER}.`, i));
  for (let i = 1; i <= 11; i++) out.push(mx('mx11', `m${i}.${PROVIDER}.`, i));
  return out;
}
