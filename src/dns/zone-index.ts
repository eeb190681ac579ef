/**
 * A zone's records arranged for answering: owner -> type -> RRs, plus every name that exists
 * (empty non-terminals too: RFC 8020 says NXDOMAIN means nothing exists below, so `_tcp` above
 * `_sip._tcp` must get NODATA, not NXDOMAIN).
 */
import type { Answer } from 'dns-packet';
import { normaliseZone } from '../domain/names.js';
import { PROVIDER_NAMESERVERS } from '../domain/zonefile.js';
import { soaAnswer, toAnswer, wireName, type ZoneData } from './zone-rdata.js';

export interface ZoneIndex {
  zone: string;
  nodes: Map<string, Map<string, Answer[]>>;
  /** Owners and every name between an owner and the apex. */
  names: Set<string>;
  soa: Answer;
}

const cache = new WeakMap<ZoneData, ZoneIndex>();

function add(nodes: ZoneIndex['nodes'], rr: Answer): void {
  const node = nodes.get(rr.name) ?? new Map<string, Answer[]>();
  const set = node.get(rr.type) ?? [];
  // Identical RRs would be one RR on the wire (RFC 2181 5: an RRset has no duplicates).
  const key = JSON.stringify((rr as { data: unknown }).data);
  if (!set.some((x) => JSON.stringify((x as { data: unknown }).data) === key)) set.push(rr);
  node.set(rr.type, set);
  nodes.set(rr.name, node);
}

/** `example.com`, `example.com.` -> `example.com`; `.` -> '' (the root, which holds every name). */
export function zoneKey(zone: string): string {
  return normaliseZone(zone);
}

const inZone = (name: string, zone: string) => zone === '' || name === zone || name.endsWith(`.${zone}`);

function build(zoneName: string, data: ZoneData): ZoneIndex {
  const zone = zoneKey(zoneName);
  const nodes: ZoneIndex['nodes'] = new Map();
  for (const record of data.records) {
    const rr = toAnswer(record, zone === '' ? '.' : zone);
    if (rr && inZone(rr.name, zone)) add(nodes, rr);
  }
  // A zone created through the API starts empty; the provider still serves its own NS set.
  if (zone !== '' && !nodes.get(zone)?.get('NS')?.length) {
    for (const ns of PROVIDER_NAMESERVERS) add(nodes, { type: 'NS', name: zone, ttl: 3600, class: 'IN', data: wireName(ns) });
  }
  const firstNs = (nodes.get(zone)?.get('NS')?.[0] as { data?: string } | undefined)?.data ?? 'ns1.vps.org';
  const names = new Set<string>([zone]);
  for (const owner of nodes.keys()) {
    for (let n = owner; n !== zone && n !== ''; n = n.includes('.') ? n.slice(n.indexOf('.') + 1) : '') names.add(n);
  }
  return { zone, nodes, names, soa: soaAnswer(zone, firstNs, data.serial) };
}

/** The index of a published zone, built once per published snapshot. */
export function indexZone(zone: string, data: ZoneData): ZoneIndex {
  let idx = cache.get(data);
  if (!idx) {
    idx = build(zone, data);
    cache.set(data, idx);
  }
  return idx;
}
