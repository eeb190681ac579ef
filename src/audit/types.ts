/** The audit's vocabulary. Pure data: no I/O, no SDK. */
import type { FixCall } from './fix.js';

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** A record as the provider returns it (API field names); the audit never changes it. */
export interface AuditRecord {
  uuid?: string;
  name: string;
  record_type: string;
  value: string;
  ttl: number;
  priority?: number | null;
}

export interface Finding {
  severity: Severity;
  /** Stable machine-readable kind, e.g. `dangling_cname`, `spf_duplicate`. */
  code: string;
  /** The owner name concerned, relative to the zone (`@` for the apex). */
  name: string;
  message: string;
  /** What to change, in words. */
  fix: string;
  /** The call that makes that change (a dry run first), or an instruction where it needs a person. */
  fix_call: FixCall;
  /** The records concerned (empty when the finding is about a record that is missing). */
  records: AuditRecord[];
}

/** A check that could not be made without leaving the zone (no network lookups by default). */
export interface NotChecked {
  check: string;
  reason: string;
  records: AuditRecord[];
}

export interface AuditReport {
  zone: string;
  record_count: number;
  counts: Record<Severity, number>;
  findings: Finding[];
  not_checked: NotChecked[];
}
