import type { Entry } from './zone-index.js';
import type { Finding, NotChecked, Severity } from './types.js';
import type { FixCall } from './fix.js';

export interface FindingInput {
  severity: Severity;
  code: string;
  name: string;
  message: string;
  fix: string;
  fix_call: FixCall;
  entries?: Entry[];
}

/** Where checks put what they found; what they could not check is grouped by check and reason. */
export class Sink {
  readonly findings: Finding[] = [];
  private readonly skipped = new Map<string, NotChecked>();

  add(f: FindingInput): void {
    const { entries = [], ...rest } = f;
    this.findings.push({ ...rest, records: entries.map((e) => ({ ...e.src })) });
  }

  skip(check: string, reason: string, entries: Entry[]): void {
    const key = `${check}|${reason}`;
    const nc = this.skipped.get(key) ?? { check, reason, records: [] };
    nc.records.push(...entries.map((e) => ({ ...e.src })));
    this.skipped.set(key, nc);
  }

  notChecked(): NotChecked[] {
    return [...this.skipped.values()];
  }
}

/** `www CNAME shop.example.com.`: how a record is named inside a message. */
export function brief(e: Entry): string {
  const prio = e.spec.priority !== null ? `${e.spec.priority} ` : '';
  return `${e.spec.name} ${e.spec.record_type} ${prio}${e.spec.value}`;
}
