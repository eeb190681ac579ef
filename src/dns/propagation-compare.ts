/** How one server's values for a record set are compared with the expected ones (shared by answers and referrals). */
import { comparisonKey, lacksPriority } from './values.js';

export interface SetToCheck {
  zone: string;
  owner: string;
  recordType: string;
  expected: string[];
  /** true: in sync when every expected value is among those served (others may be there too); default: exactly the expected set. */
  includes?: boolean;
  /** The zone's delegations as the API holds them: cut (FQDN) -> its NS values, canonical. */
  delegations?: ReadonlyMap<string, string[]>;
}

export function uniqueSorted(values: string[]): string[] {
  return [...new Set(values)].sort();
}

/** Served values against the expected ones, in comparison form (MX/SRV without priority when none was expected). */
export function compareValues(set: Pick<SetToCheck, 'recordType' | 'expected' | 'includes'>, values: string[]): { equal: boolean; got: string[]; want: string[] } {
  const dropPriority = set.expected.length > 0 && set.expected.every((v) => lacksPriority(set.recordType, v));
  const key = (v: string) => comparisonKey(set.recordType, v, dropPriority);
  const got = uniqueSorted(values.map(key));
  const want = uniqueSorted(set.expected.map(key));
  const equal = set.includes && want.length ? want.every((v) => got.includes(v)) : got.length === want.length && got.every((v, i) => v === want[i]);
  return { equal, got, want };
}

export function differenceText(set: Pick<SetToCheck, 'includes'>, got: string[], want: string[], via: string): string {
  const missing = want.filter((v) => !got.includes(v));
  const extra = got.filter((v) => !want.includes(v));
  return set.includes
    ? `not served yet${via}: missing ${missing.join(' | ')} (${got.length} other value${got.length > 1 ? 's' : ''} there)`
    : `different values${via}: missing ${missing.length ? missing.join(' | ') : 'none'}; unexpected ${extra.length ? extra.join(' | ') : 'none'}`;
}
