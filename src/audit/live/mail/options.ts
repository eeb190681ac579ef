/**
 * What the mail checks take besides the zone, its records and the resolver. Compatible with the
 * live audit's options (LiveOptions): a check is called with those, plus the test-only seams.
 */
import type { AuditRecord } from '../../types.js';

export interface MailOptions {
  /** Record a check that could not be made (a lookup failed, HTTP not allowed). */
  skip?(check: string, reason: string, records: readonly AuditRecord[]): void;
  /** DKIM selectors to look up besides those found in the zone. */
  dkimSelectors?: readonly string[] | undefined;
  /** The operator allows outbound HTTPS (VPSORG_AUDIT_HTTP=1): the MTA-STS policy is fetched. */
  allowHttp?: boolean | undefined;
  /** Which addresses an HTTPS fetch may reach; none when absent (the reach rule lives in src/safety). */
  mayFetch?: ((address: string) => boolean) | undefined;
  signal?: AbortSignal | undefined;
  /** A sender address: SPF is then evaluated for it (pass/fail), not only for its structure. */
  spfIp?: string | undefined;
  /** Where the MTA-STS policy is fetched (default port 443, the system's CAs): tests use loopback and a test CA. */
  https?: { port?: number; ca?: string | Buffer; timeoutMs?: number } | undefined;
}
