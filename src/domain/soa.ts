/**
 * The zone's SOA. The API has none: the provider generates it. What its nameservers serve is the
 * truth (export_zone_file and gate snapshots read it from them, dns/zone-soa.ts); these values are
 * what the sandbox's nameservers serve and what a zone file says when no nameserver answered, so
 * that the two never disagree on anything but a serial nobody could read.
 * Timers as a small provider would set them (RFC 1912 2.2 ranges).
 */
export const PROVIDER_SOA_TIMERS = { refresh: 3600, retry: 600, expire: 1209600, minimum: 300 } as const;
export const PROVIDER_SOA_TTL = 3600;

export interface Soa {
  /** Absolute names, with the trailing dot. */
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
  ttl: number;
}

/** The generated SOA of `zone` (`example.com`) with `mname` as its primary and `serial`. */
export function providerSoa(zone: string, mname: string, serial: number): Soa {
  const abs = (n: string) => (n.endsWith('.') ? n.toLowerCase() : `${n.toLowerCase()}.`);
  return { mname: abs(mname), rname: zone ? `hostmaster.${abs(zone)}` : 'hostmaster.', serial: serial >>> 0, ...PROVIDER_SOA_TIMERS, ttl: PROVIDER_SOA_TTL };
}
