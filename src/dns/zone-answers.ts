/**
 * What an authoritative server answers for one question (RFC 1034 4.3.2, without recursion):
 * the RRset; a CNAME followed inside the zone; a referral below a delegation; NODATA or
 * NXDOMAIN with the SOA in the authority section (RFC 2308); REFUSED outside its zones.
 */
import type { Answer } from 'dns-packet';
import type { ZoneData } from './zone-rdata.js';
import { SOA_TIMERS, wireName } from './zone-rdata.js';
import { indexZone, type ZoneIndex } from './zone-index.js';

/** The zone's data as this server has it published, or undefined when it does not serve it. */
export type ZoneLookup = (zone: string) => ZoneData | undefined;

export interface Resolution {
  rcode: 'NOERROR' | 'NXDOMAIN' | 'REFUSED';
  aa: boolean;
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
}

// A CNAME chain longer than this inside one zone is a loop or a mistake; stop and answer what we have.
const MAX_CHAIN = 8;

const parent = (name: string): string => (name.includes('.') ? name.slice(name.indexOf('.') + 1) : '');

/** The closest zone this server serves that contains `name` (the root is asked for as `.`). */
function findZone(lookup: ZoneLookup, name: string): { zone: string; data: ZoneData } | undefined {
  for (let n = name; ; n = parent(n)) {
    const data = lookup(n === '' ? '.' : n);
    if (data) return { zone: n === '' ? '.' : n, data };
    if (n === '') return undefined;
  }
}

/** RFC 2308 3: the SOA in a negative answer carries min(SOA TTL, MINIMUM) as its TTL. */
function negativeSoa(idx: ZoneIndex): Answer {
  const ttl = (idx.soa as { ttl?: number }).ttl ?? SOA_TIMERS.minimum;
  return { ...idx.soa, ttl: Math.min(ttl, SOA_TIMERS.minimum) } as Answer;
}

function rrsAt(idx: ZoneIndex, owner: string, type: string): Answer[] | undefined {
  if (owner === idx.zone && type === 'SOA') return [idx.soa];
  const node = idx.nodes.get(owner);
  if (!node) return owner === idx.zone && type === 'ANY' ? [idx.soa] : undefined;
  if (type === 'ANY') return [...(owner === idx.zone ? [idx.soa] : []), ...[...node.values()].flat()];
  return node.get(type);
}

/** A delegation point strictly below the apex at or above `name`, if any. */
function delegation(idx: ZoneIndex, name: string): string | undefined {
  let cut: string | undefined;
  for (let n = name; n !== idx.zone && n !== ''; n = parent(n)) {
    if (idx.nodes.get(n)?.get('NS')?.length) cut = n;
  }
  return cut;
}

function glue(idx: ZoneIndex, ns: Answer[]): Answer[] {
  return ns.flatMap((rr) => {
    const target = String((rr as { data: unknown }).data);
    const node = idx.nodes.get(target);
    return node ? [...(node.get('A') ?? []), ...(node.get('AAAA') ?? [])] : [];
  });
}

/** The node that answers for `name`: itself, or the wildcard at its closest encloser (RFC 4592). */
function sourceNode(idx: ZoneIndex, name: string): string | undefined {
  if (idx.nodes.has(name) || idx.names.has(name)) return name;
  let encloser = parent(name);
  while (encloser !== idx.zone && !idx.names.has(encloser) && encloser !== '') encloser = parent(encloser);
  const wildcard = encloser === '' ? '*' : `*.${encloser}`;
  return idx.nodes.has(wildcard) ? wildcard : undefined;
}

const rename = (rrs: Answer[], owner: string): Answer[] => rrs.map((rr) => ({ ...rr, name: owner }) as Answer);

function resolveIn(idx: ZoneIndex, name: string, type: string, depth: number): Resolution {
  const base = { rcode: 'NOERROR' as const, aa: true, answers: [] as Answer[], authorities: [] as Answer[], additionals: [] as Answer[] };
  // RFC 4035 3.1.4.1: the DS RRset at a cut belongs to the parent, which answers it itself.
  const cut = type === 'DS' && name !== idx.zone ? delegation(idx, parent(name)) : delegation(idx, name);
  if (cut) {
    const ns = idx.nodes.get(cut)?.get('NS') ?? [];
    return { ...base, aa: false, authorities: ns, additionals: glue(idx, ns) };
  }
  const source = sourceNode(idx, name);
  if (source === undefined) return { ...base, rcode: 'NXDOMAIN', authorities: [negativeSoa(idx)] };
  const direct = rrsAt(idx, source, type);
  if (direct?.length) return { ...base, answers: rename(direct, name) };
  const cname = type === 'CNAME' ? undefined : idx.nodes.get(source)?.get('CNAME')?.[0];
  if (!cname) return { ...base, authorities: [negativeSoa(idx)] };
  const answers = rename([cname], name);
  const target = String((cname as { data: unknown }).data);
  const inZone = idx.zone === '' || target === idx.zone || target.endsWith(`.${idx.zone}`);
  if (!inZone || depth >= MAX_CHAIN) return { ...base, answers };
  const rest = resolveIn(idx, target, type, depth + 1);
  // RFC 6604: the rcode describes the last name in the chain; a referral mid-chain is not followed.
  if (!rest.aa) return { ...base, answers };
  return { ...rest, answers: [...answers, ...rest.answers] };
}

/** Answers one question from the published zones. Names compare case-insensitively. */
export function answerQuestion(lookup: ZoneLookup, qname: string, qtype: string): Resolution {
  const name = wireName(qname);
  const found = findZone(lookup, name);
  if (!found) return { rcode: 'REFUSED', aa: false, answers: [], authorities: [], additionals: [] };
  return resolveIn(indexZone(found.zone, found.data), name, qtype.toUpperCase(), 0);
}
