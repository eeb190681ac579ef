/**
 * BIND zone files out: what the provider's nameservers would serve for the zone. Must pass
 * `named-checkzone` (tested with the real tool). Parsing lives in zonefile-parse.ts.
 */
import { DEFAULT_TTL } from './model.js';
import type { RecordSpec } from './model.js';
import { cmp } from './names.js';
import { normaliseZone, isInZone, fqdn } from './names.js';
import { chunkText, quoteText } from './charstring.js';
import { splitCaa } from './values.js';
import { escapeForDisplay } from './display.js';
import { providerSoa, type Soa } from './soa.js';

export { parseZoneFile } from './zonefile-parse.js';
export type { ParsedZone } from './zonefile-parse.js';

export interface ZoneFileOptions {
  nameservers: string[];
  serial?: number;
  ttl?: number;
  /** The SOA as the nameservers serve it (dns/zone-soa.ts); what is missing is the provider's generated SOA (domain/soa.ts). */
  soa?: Partial<Soa>;
  /** A note on the SOA, written as a comment above it (e.g. that its serial is a placeholder). */
  soaNote?: string;
  /** Lines written as comments after the records (e.g. records that could not be exported). */
  comments?: string[];
}

/** Contract, "Nameservers": an assumption, hence configurable. */
export const PROVIDER_NAMESERVERS = ['ns1.vps.org.', 'ns2.vps.org.'];
/**
 * Comment on apex NS lines that export adds for the provider's nameservers. Import skips lines
 * carrying it, so that export -> import does not turn them into records of the zone.
 */
export const PROVIDER_NS_MARK = 'provider nameserver, not a zone record';

const absolute = (h: string) => (h.endsWith('.') ? h.toLowerCase() : `${h.toLowerCase()}.`);

/** Canonical DNS order (RFC 4034 6.1, by labels from the right), apex first, then by type and value. */
function canonicalOrder(zone: string) {
  const labels = (r: RecordSpec) => fqdn(r.name, zone).slice(0, -1).split('.').reverse();
  return (a: RecordSpec, b: RecordSpec): number => {
    const la = labels(a);
    const lb = labels(b);
    for (let i = 0; i < Math.min(la.length, lb.length); i++) {
      const c = cmp(la[i] ?? '', lb[i] ?? '');
      if (c !== 0) return c;
    }
    return la.length - lb.length || cmp(a.record_type, b.record_type) || (a.priority ?? 0) - (b.priority ?? 0) || cmp(a.value, b.value);
  };
}

/** The record's data as a zone file writes it; a TXT of several strings on one line unless `indent` breaks it. */
export function rdataText(r: Pick<RecordSpec, 'record_type' | 'value' | 'priority'>, indent?: string): string {
  switch (r.record_type) {
    case 'MX':
    case 'SRV':
      return `${r.priority ?? 0} ${r.value}`;
    case 'TXT': {
      const chunks = chunkText(r.value);
      if (indent === undefined) return chunks.join(' ');
      return chunks.length === 1 ? (chunks[0] ?? '""') : `( ${chunks.join(`\n${indent}  `)} )`;
    }
    case 'CAA': {
      const caa = splitCaa(r.value);
      return caa ? `${Number(caa.flags)} ${caa.tag} ${quoteText(caa.value)}` : r.value;
    }
    default:
      return r.value;
  }
}

/**
 * The zone as a BIND zone file: `$ORIGIN`, `$TTL`, SOA, the provider's nameservers as apex NS
 * (plus the zone's own apex NS records, without repeats), then every record in canonical order.
 * Validate records first: one outside the zone is written as a comment, not as data.
 */
export function renderZoneFile(zone: string, records: RecordSpec[], opts: Partial<ZoneFileOptions> = {}): string {
  const z = normaliseZone(zone);
  const ttl = opts.ttl ?? DEFAULT_TTL;
  const ns = (opts.nameservers?.length ? opts.nameservers : PROVIDER_NAMESERVERS).map(absolute);
  const soa = { ...providerSoa(z, ns[0] ?? `ns1.${z}`, opts.serial ?? 1), ttl, ...opts.soa };
  const lines = [
    `; zone ${z}, exported by vpsorg-dns-mcp`,
    `$ORIGIN ${z}.`,
    `$TTL ${ttl}`,
    ...(opts.soaNote ? [`; ${escapeForDisplay(opts.soaNote)}`] : []),
    `@ ${soa.ttl} IN SOA ${absolute(soa.mname)} ${absolute(soa.rname)} (`,
    `    ${soa.serial} ; serial`,
    `    ${soa.refresh} ; refresh`,
    `    ${soa.retry} ; retry`,
    `    ${soa.expire} ; expire`,
    `    ${soa.minimum} ) ; negative-caching TTL`,
  ];
  const own = records.filter((r) => r.name === '@' && r.record_type === 'NS');
  const apexNs = new Set(own.map((r) => r.value));
  // One RRset, one TTL (RFC 2181 5.2): BIND would give the whole apex NS set the first line's TTL.
  const nsTtl = own[0]?.ttl ?? ttl;
  for (const n of ns) if (!apexNs.has(n)) lines.push(`@ ${nsTtl} IN NS ${n} ; ${PROVIDER_NS_MARK}`);
  const sorted = [...records].sort(canonicalOrder(z));
  const width = Math.min(24, Math.max(1, ...sorted.map((r) => r.name.length)));
  for (const r of sorted) {
    const head = `${r.name.padEnd(width)} ${String(r.ttl).padStart(6)} IN ${r.record_type.padEnd(5)} `;
    if (!isInZone(r.name, z)) {
      lines.push(`; skipped, outside the zone: ${escapeForDisplay(`${r.name} ${r.record_type} ${r.value}`)}`);
      continue;
    }
    lines.push(head + rdataText(r, ' '.repeat(head.length)));
  }
  for (const c of opts.comments ?? []) lines.push(`; ${escapeForDisplay(c)}`);
  return `${lines.join('\n')}\n`;
}
