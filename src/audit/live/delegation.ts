/**
 * Delegation and DNSSEC (issue 25.4). A DS at the parent for a zone VPS.org serves unsigned makes
 * validating resolvers (most public ones) fail every name with SERVFAIL. For each delegation
 * below the apex: servers that do not answer authoritatively (lame), an NS set the child serves
 * that differs from the one delegated, and glue that differs from the child's own addresses.
 */
import { ZoneIndex, type Entry } from '../zone-index.js';
import { deleteFix, deleteSetFix, instruction } from '../fix.js';
import type { LiveCheck, LiveFinding, LiveOptions, LiveResolver, LiveServerAnswer } from './types.js';

const host = (v: string) => v.trim().replace(/\.$/, '').toLowerCase();
const fqdn = (name: string, zone: string) => (name === '@' ? zone : `${name}.${zone}`);
const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();
const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

async function checkDs(zone: string, r: LiveResolver, opts: LiveOptions): Promise<LiveFinding[]> {
  const ds = await r.lookup(zone, 'DS');
  if (ds.status === 'budget') opts.skip('ds_unsigned_zone', ds.detail, []);
  if (ds.status !== 'answer') return [];
  const key = await r.lookup(zone, 'DNSKEY');
  if (key.status === 'answer') return [];
  const list = ds.records.map((x) => x.value).join('; ');
  return [
    {
      severity: 'error',
      code: 'ds_unsigned_zone',
      name: '@',
      message: `The parent zone publishes a DS record for ${zone} (${list}), but ${zone} is not signed (VPS.org does not sign zones; it serves no DNSKEY): validating resolvers answer SERVFAIL for every name in the zone.`,
      fix: `Remove the DS record(s) at the registrar of ${zone} (DNSSEC settings), then wait for the parent's DS TTL (${ds.records[0]?.ttl ?? 0} s).`,
      records: [],
      confidence: 'high',
      fix_call: instruction(`Remove the DS record(s) for ${zone} at the registrar (its DNSSEC settings: ${list}); VPS.org does not sign zones. Resolvers recover once the parent's DS TTL (${ds.records[0]?.ttl ?? 0} s) has passed.`),
    },
  ];
}

/** The servers of one delegation, each asked for the child's SOA at its glue (or looked-up) addresses. */
async function checkCut(zone: string, ix: ZoneIndex, cut: string, nsEntries: Entry[], r: LiveResolver, opts: LiveOptions): Promise<LiveFinding[]> {
  const child = fqdn(cut, ix.zone);
  const glueOf = (h: string) => {
    const rel = ix.relative(`${h}.`);
    return rel !== null && (rel === cut || rel.endsWith(`.${cut}`)) ? [...ix.at(rel, 'A'), ...ix.at(rel, 'AAAA')] : [];
  };
  const hosts = sorted(nsEntries.map((e) => host(e.spec.value)));
  const asked = new Map<string, LiveServerAnswer[]>();
  for (const h of hosts) asked.set(h, await r.askHost(h, child, 'SOA', glueOf(h).map((g) => g.spec.value)));
  const all = [...asked.values()].flat();
  if (all.some((s) => s.status === 'budget')) opts.skip('lame_delegation', r.exhausted ?? 'budget', nsEntries.map((e) => e.src));
  const ok = all.filter((s) => s.status === 'answer');
  const out: LiveFinding[] = [];
  // Lame is what a server said (a referral, REFUSED, not authoritative, or that the child does not
  // exist); a server that did not answer, or was not asked, is not evidence: it is not checked.
  const said = (x: LiveServerAnswer) => x.status === 'lame' || x.status === 'nodata' || x.status === 'nxdomain';
  const bad = hosts.filter((h) => (asked.get(h) ?? []).some(said));
  const silent = hosts.filter((h) => !bad.includes(h) && (asked.get(h) ?? []).some((x) => x.status === 'error'));
  if (silent.length) opts.skip('lame_delegation', `no answer from ${silent.join(', ')} (not reachable from here, or not asked)`, nsEntries.filter((e) => silent.includes(host(e.spec.value))).map((e) => e.src));
  for (const h of bad) {
    const detail = (asked.get(h) ?? []).filter(said).map((s) => s.detail).join('; ');
    const entry = nsEntries.find((e) => host(e.spec.value) === h) as Entry;
    const whole = ok.length === 0 && bad.length === hosts.length;
    out.push({
      severity: whole ? 'error' : 'warning',
      code: 'lame_delegation',
      name: cut,
      message: `${h}, a nameserver ${child} is delegated to, does not serve it (${detail})${whole ? `: no listed server does, so every name under ${child} fails` : ': resolvers that pick it get no answer and retry elsewhere'}.`,
      fix: whole ? `Have the servers serve ${child}, or remove the delegation.` : `Remove ${h} from the delegation, or have it serve ${child}.`,
      records: [{ ...entry.src }],
      fix_call: whole
        ? deleteSetFix(ix.zone, cut, 'NS', `removes the delegation of ${child}: its names are then answered by ${zone} itself (NXDOMAIN unless created there); keep it if the servers will serve ${child} soon`)
        : ok.length ? deleteFix(ix.zone, entry.src) : instruction(`Check which of ${hosts.join(', ')} should serve ${child} before removing any from the delegation.`),
    });
  }
  const first = ok[0];
  if (first) out.push(...(await checkChildSide(ix, cut, child, first.host, nsEntries, hosts, glueOf, r)));
  return out;
}

/** What the child's own servers say: its apex NS set, and the addresses of the hosts that need glue. */
async function checkChildSide(ix: ZoneIndex, cut: string, child: string, server: string, nsEntries: Entry[], hosts: string[], glueOf: (h: string) => Entry[], r: LiveResolver): Promise<LiveFinding[]> {
  const out: LiveFinding[] = [];
  const ns = (await r.askHost(server, child, 'NS')).find((s) => s.status === 'answer');
  const served = ns ? sorted(ns.records.map((x) => host(x.value))) : [];
  if (ns && !sameSet(served, hosts)) {
    out.push({
      severity: 'warning',
      code: 'delegation_ns_mismatch',
      name: cut,
      message: `${child} is delegated to ${hosts.join(', ')}, but its servers list ${served.join(', ')} at its apex: resolvers see one set or the other depending on where they ask (RFC 1034 4.2.2 wants them equal).`,
      fix: `Make the delegation list the child's servers (${served.join(', ')}), or change the child's apex NS.`,
      records: nsEntries.map((e) => ({ ...e.src })),
      // What the child's server served is not written back: one hostile listed server could name itself alone.
      fix_call: instruction(`Decide which set is right with whoever runs ${child}; then change the delegation in ${ix.zone} (apply_zone) or the child's apex NS.`),
    });
  }
  for (const h of hosts) {
    for (const type of ['A', 'AAAA']) {
      const glue = glueOf(h).filter((g) => g.spec.record_type === type);
      if (!glue.length) continue;
      const got = (await r.askHost(server, h, type)).find((s) => s.status === 'answer' || s.status === 'nodata' || s.status === 'nxdomain');
      if (!got) continue;
      const theirs = sorted(got.records.map((x) => x.value));
      const ours = sorted(glue.map((g) => g.spec.value));
      if (sameSet(theirs, ours)) continue;
      const rel = glue[0]?.spec.name ?? h;
      out.push({
        severity: 'error',
        code: 'glue_mismatch',
        name: rel,
        message: `The glue for ${h} in ${ix.zone} (${ours.join(', ')}) differs from the ${type} records ${child} serves for it (${theirs.join(', ') || 'none'}): resolvers reach the nameserver at the glue address first, then trust the child's.`,
        fix: theirs.length ? `Set the glue ${rel} ${type} to ${theirs.join(', ')}.` : `The child serves no ${type} for ${h}: add it there, or delete the glue.`,
        records: glue.map((g) => ({ ...g.src })),
        fix_call: theirs.length ? instruction(`Confirm ${h}'s address with whoever runs it, then set the glue ${rel} ${type} in ${ix.zone} to it (the child serves ${theirs.join(', ')}).`) : instruction(`Add the ${type} record for ${h} in ${child} (${ours.join(', ')}), or delete the glue at ${rel} in ${ix.zone}.`),
      });
    }
  }
  return out;
}

export const checkDelegations: LiveCheck = async (zone, records, r, opts) => {
  const ix = new ZoneIndex(zone, records);
  const out = await checkDs(ix.zone, r, opts);
  const cuts = new Map<string, Entry[]>();
  for (const e of ix.ofType('NS')) if (e.spec.name !== '@') cuts.set(e.spec.name, [...(cuts.get(e.spec.name) ?? []), e]);
  for (const [cut, entries] of cuts) out.push(...(await checkCut(zone, ix, cut, entries, r, opts)));
  return out;
};
