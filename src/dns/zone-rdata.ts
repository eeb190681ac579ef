/**
 * API records -> dns-packet resource records, for the sandbox's authoritative nameservers.
 * Values go through the record model (normaliseRecord) first, so the wire serves exactly what
 * a diff or a propagation check would compare against.
 */
import type { Answer } from 'dns-packet';
import { isIPv4, isIPv6 } from 'node:net';
import { fqdn, normaliseRecord, normaliseZone, parseRecordType } from '../domain/model.js';
import { splitCaa, splitSrv } from '../domain/values.js';
import { nameProblem } from './names.js';
import { PROVIDER_SOA_TIMERS, PROVIDER_SOA_TTL, providerSoa } from '../domain/soa.js';

/** A record as the API holds it (what the emulator's store renders). */
export interface ZoneRecord {
  record_type: string;
  name: string;
  value: string;
  ttl: number;
  priority?: number | null | undefined;
}

/** A zone as one nameserver has it loaded: its records and the SOA serial they were published with. */
export interface ZoneData {
  records: readonly ZoneRecord[];
  serial: number;
}

/** `www.example.com.` -> `www.example.com`; the root stays '' (dns-packet's form for it). */
export function wireName(absolute: string): string {
  const n = absolute.endsWith('.') ? absolute.slice(0, -1) : absolute;
  return n.toLowerCase();
}

/** Host names that dns-packet would silently corrupt (labels > 63 bytes) are refused here. */
function host(absolute: string): string | null {
  const n = wireName(absolute);
  if (n === '') return '';
  return nameProblem(n) === null ? n : null;
}

/** RFC 1035 3.3.14: TXT data is character-strings of at most 255 bytes each. */
export function txtChunks(text: string): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length === 0) return [Buffer.alloc(0)];
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 255) out.push(bytes.subarray(i, i + 255));
  return out;
}

function data(type: string, value: string, priority: number | null): unknown {
  switch (type) {
    case 'A':
      return isIPv4(value) ? value : null;
    case 'AAAA':
      return isIPv6(value) ? value : null;
    case 'CNAME':
    case 'NS':
      return host(value);
    case 'MX': {
      const exchange = host(value);
      return exchange === null ? null : { preference: priority ?? 0, exchange };
    }
    case 'SRV': {
      const srv = splitSrv(value);
      const target = srv ? host(srv.target) : null;
      if (!srv || target === null) return null;
      return { priority: priority ?? 0, weight: Number(srv.weight), port: Number(srv.port), target };
    }
    case 'CAA': {
      const caa = splitCaa(value);
      return caa ? { flags: Number(caa.flags), tag: caa.tag, value: caa.value } : null;
    }
    case 'TXT':
      return txtChunks(value);
    default:
      return null;
  }
}

/** The record as a wire RR, or null when it cannot be served (unknown type, unusable value). */
export function toAnswer(record: ZoneRecord, zone: string): Answer | null {
  if (record.record_type === 'DS') return dsAnswer(record);
  const type = parseRecordType(record.record_type);
  if (type === null) return null;
  const spec = normaliseRecord({ ...record, ttl: record.ttl }, zone);
  // The emulator stores names relative to the zone (`@`, `www`): one that ends with the zone name
  // (`gen16.test`) is below it (gen16.test.gen16.test.), as the provider's BIND would read it (issue 17.3).
  const raw = record.name.trim().toLowerCase();
  const z = normaliseZone(zone);
  const owner = wireName(raw === '@' || raw === '' || raw.endsWith('.') ? fqdn(spec.name, zone) : `${raw}.${z ? `${z}.` : ''}`);
  if (nameProblem(owner) !== null) return null;
  const rdata = data(type, spec.value, spec.priority);
  if (rdata === null) return null;
  return { type, name: owner, ttl: spec.ttl, class: 'IN', data: rdata } as Answer;
}

/**
 * A DS record (`keytag algorithm digest-type hex`, absolute owner): the API has no DS type, so
 * only the sandbox's stand-in registries serve one, for the live audit's DNSSEC fixtures.
 */
function dsAnswer(record: ZoneRecord): Answer | null {
  const m = /^(\d{1,5}) (\d{1,3}) (\d{1,3}) ([0-9a-fA-F]{2,})$/.exec(record.value.trim());
  const owner = wireName(record.name);
  if (!m || !record.name.endsWith('.') || nameProblem(owner) !== null) return null;
  const data = { keyTag: Number(m[1]), algorithm: Number(m[2]), digestType: Number(m[3]), digest: Buffer.from(m[4] as string, 'hex') };
  return { type: 'DS', name: owner, ttl: record.ttl, class: 'IN', data } as Answer;
}

/** Refresh, retry, expire, minimum: one definition with the zone files (domain/soa.ts). */
export const SOA_TIMERS = PROVIDER_SOA_TIMERS;
export const SOA_TTL = PROVIDER_SOA_TTL;

/** The zone's SOA (the API has none: the provider generates it). `zone` '' is the root. */
export function soaAnswer(zone: string, mname: string, serial: number): Answer {
  const name = zone === '' ? '' : wireName(`${zone}.`);
  const soa = providerSoa(name, mname, serial);
  return {
    type: 'SOA',
    name,
    ttl: soa.ttl,
    class: 'IN',
    data: { mname: wireName(soa.mname), rname: wireName(soa.rname), serial: soa.serial, refresh: soa.refresh, retry: soa.retry, expire: soa.expire, minimum: soa.minimum },
  };
}
