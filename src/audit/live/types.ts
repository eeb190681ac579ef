/**
 * The live audit's contract (issue 25): checks that look outside the zone ask a `LiveResolver`,
 * which answers from the authoritative servers found by walking from the root (never a cache),
 * within a budget. Checks are written against this interface only, so each can be tested with
 * the sandbox's fixture internet and compared with reference tools (pyspf, zonemaster).
 */
import type { AuditRecord, Finding } from '../types.js';

/** One RR of an answer, in presentation form (TXT as its joined character-strings, unquoted). */
export interface LiveRr {
  name: string;
  type: string;
  ttl: number;
  /** Presentation value: an address, a host name with trailing dot, `10 mx.example.com.`, TXT text joined. */
  value: string;
}

export type LiveStatus =
  /** The name exists and the answer section holds the RRset (possibly after CNAMEs, see `cnames`). */
  | 'answer'
  /** The name exists but has no RRset of that type. */
  | 'nodata'
  | 'nxdomain'
  /** No authoritative server answered usefully (timeout, SERVFAIL, REFUSED, lame). */
  | 'error'
  /** The audit's lookup budget ran out before this lookup: nothing was asked. */
  | 'budget';

export interface LiveAnswer {
  status: LiveStatus;
  /** The RRs of the asked type at the end of any CNAME chain. */
  records: LiveRr[];
  /** The CNAME chain followed, in order (empty when the name itself holds the type). */
  cnames: LiveRr[];
  /** Which server answered and why it failed, for messages. */
  detail: string;
}

/** One server's own answer to a direct question (RD off), for delegation checks. */
export interface LiveServerAnswer {
  host: string;
  /** Null when no address was found for the host (status 'error'). */
  address: string | null;
  /** 'lame': the server answered but not authoritatively (a referral, REFUSED, no AA). */
  status: LiveStatus | 'lame';
  /** RRs of the asked name and type in the answer section. */
  records: LiveRr[];
  detail: string;
}

export interface LiveResolver {
  /** The RRset as the name's authoritative servers serve it, CNAMEs followed (repeats are free). */
  lookup(name: string, type: string): Promise<LiveAnswer>;
  /**
   * Asks one nameserver host directly, at each of its addresses (`addresses` as given, e.g. the
   * parent's glue, else looked up), RD off; counts as one lookup. For lame/glue checks.
   */
  askHost(host: string, name: string, type: string, addresses?: string[]): Promise<LiveServerAnswer[]>;
  /** Lookups made so far (each `lookup` counts one, cached repeats count none). */
  readonly lookups: number;
  /** Why lookups stopped being made (the lookup or time budget ran out), or null while it lasts. */
  readonly exhausted: string | null;
}

/** The call that fixes a finding (src/audit/fix.ts): the zone's own findings carry one too. */
export type { FixArg, FixScalar, FixCall as LiveFix } from '../fix.js';

export interface LiveFinding extends Finding {
  /** How sure the finding is where DNS alone cannot tell (takeover candidates). */
  confidence?: 'high' | 'medium' | 'low';
}

/** What every live check gets besides the zone, its records and the resolver. */
export interface LiveOptions {
  /** Record a check that could not be made (the budget ran out, a lookup failed): the report lists it. */
  skip(check: string, reason: string, records: readonly AuditRecord[]): void;
  /** DKIM selectors to look up besides those found in the zone. */
  dkimSelectors?: readonly string[] | undefined;
  /** The operator allows outbound HTTP(S) (MTA-STS policy, takeover fingerprints); default false. */
  allowHttp?: boolean | undefined;
  /** Which addresses an HTTPS fetch may reach (tools/kit/live-audit.ts: public unicast unless the operator allows private); none when absent. */
  mayFetch?: ((address: string) => boolean) | undefined;
  /** The audit's own signal (the request's): an HTTPS fetch stops with it. */
  signal?: AbortSignal | undefined;
}

/**
 * One live check (takeover, delegation, each mail standard): src/audit/live/index.ts runs the
 * list. `zone` is the zone's domain; `records` as the API lists them.
 */
export type LiveCheck = (zone: string, records: readonly AuditRecord[], resolver: LiveResolver, opts: LiveOptions) => Promise<LiveFinding[]>;
