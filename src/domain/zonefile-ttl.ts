/**
 * Which TTL a zone-file record gets, as BIND's loader decides it (lib/dns/master.c, checked with
 * `named-compilezone`): an explicit TTL; else `$TTL`; else, for an SOA without one, its MINIMUM,
 * which then becomes the default ("no TTL specified; using SOA MINTTL instead"); else the last
 * explicit TTL (RFC 1035 semantics); else none is known and BIND rejects the zone.
 */
export interface TtlState {
  /** `$TTL n`. */
  setDefault(ttl: number): void;
  /** The TTL of a record; null when none is known. `soaMinimum` only for an SOA record. */
  resolve(explicit: number | null, soaMinimum?: number | null): number | null;
}

export function ttlState(): TtlState {
  let defaultTtl: number | null = null;
  let lastTtl: number | null = null;
  return {
    setDefault(ttl) {
      defaultTtl = ttl;
    },
    resolve(explicit, soaMinimum) {
      if (explicit !== null) {
        lastTtl = explicit;
        return explicit;
      }
      if (defaultTtl !== null) return defaultTtl;
      if (soaMinimum !== undefined && soaMinimum !== null && lastTtl === null) {
        defaultTtl = soaMinimum;
        return soaMinimum;
      }
      return lastTtl;
    },
  };
}
