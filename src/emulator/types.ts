import type { DnsRecord, ZoneDetail, ZoneSummary } from '../api/types.js';

// The emulator's public interface. Other parts of the project (client tests, the sandbox)
// code against these exact names and shapes: change them only together with those users.

export interface EmulatorToken {
  token: string;
  permissions: string[];
  /** Account id, default 'acct-1'. */
  account?: string;
  name?: string;
}

export interface FaultRule {
  method?: string;
  /** Matched against the path without query. A string matches when the path contains it. */
  path?: RegExp | string;
  /** How many matching requests it applies to (default 1); Infinity allowed. */
  times?: number;
  kind:
    | 'status'
    | 'html'
    | 'rate_limit'
    | 'drop_before'
    | 'drop_after'
    | 'latency'
    | 'hang'
    /** Processes the request (a write is made), then never answers: a server that dies before the answer. */
    | 'hang_after'
    | 'hang_body'
    /**
     * Processes the request only when the test calls `faults.release()`, then answers: a provider
     * still working on a write after the client gave up on it (never processed if the emulator closes first).
     */
    | 'hold'
    | 'malformed_json'
    | 'empty'
    | 'redirect';
  status?: number;
  retryAfter?: number;
  ms?: number;
  location?: string;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  query: string;
  /** null = dropped or never answered. */
  status: number | null;
  body?: unknown;
  at: number;
}

export interface EmulatorOptions {
  port?: number;
  host?: string;
  tokens?: EmulatorToken[];
  pageSize?: number | null;
  latencyMs?: number;
  stateFile?: string;
  seed?: 'demo' | 'empty';
  errorStyle?: 'documented' | 'drf';
}

export interface SeedRecord {
  record_type: string;
  name: string;
  value: string;
  ttl?: number;
  priority?: number | null;
}

export interface EmulatorStore {
  addZone(domain: string, records?: SeedRecord[], account?: string): ZoneDetail;
  listZones(account?: string): ZoneSummary[];
  getZone(uuid: string): ZoneDetail | undefined;
  findZone(domain: string): ZoneDetail | undefined;
  serial(zoneUuid: string): number;
  allRecords(): DnsRecord[];
  reset(): void;
}

export interface Emulator {
  url: string;
  port: number;
  store: EmulatorStore;
  /** release() lets the requests held by `hold` rules be processed, and says how many there were. */
  faults: { add(rule: FaultRule): void; clear(): void; release(): number };
  requests: RequestLogEntry[];
  setPageSize(n: number | null): void;
  setLatency(ms: number): void;
  onChange(cb: (zoneUuid: string) => void): () => void;
  close(): Promise<void>;
}
