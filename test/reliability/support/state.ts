/**
 * The emulator's final state checked record by record against the expected state. Records are
 * compared in the domain's canonical form (names relative, values normalised), so a record the
 * provider holds as "mail.example.com" and one the plan wrote as "mail.example.com." are equal.
 */
import { toCurrentRecord, normaliseRecord, type RecordInputLike, type RecordSpec } from '../../../src/domain/model.js';
import type { Emulator } from '../../../src/emulator/index.js';
import { tally } from './recorder.js';

export interface Rec extends RecordSpec {
  uuid: string;
}
/** An expected record: `uuid` set when it must be the very record that was there before. */
export interface ExpectedRec extends RecordSpec {
  uuid?: string;
}
export type Snapshot = Map<string, Rec[]>;
export type Expected = Map<string, ExpectedRec[]>;

export const keyOf = (r: RecordSpec): string => `${r.name}|${r.record_type}|${r.value}|${r.ttl}|${r.priority ?? ''}`;

export function snapshot(emu: Emulator): Snapshot {
  const out: Snapshot = new Map();
  for (const z of emu.store.listZones()) {
    const detail = emu.store.getZone(z.uuid);
    out.set(z.domain, (detail?.records ?? []).map((r) => toCurrentRecord(r, z.domain)));
  }
  return out;
}

export function expectSame(s: Expected): Expected {
  return new Map([...s].map(([d, recs]) => [d, recs.map((r) => ({ ...r }))]));
}

export function spec(domain: string, input: RecordInputLike): RecordSpec {
  return normaliseRecord(input, domain);
}

export function withCreate(e: Expected, domain: string, input: RecordInputLike): Expected {
  const out = expectSame(e);
  out.get(domain)?.push(spec(domain, input));
  return out;
}

export function withUpdate(e: Expected, domain: string, uuid: string, fields: Partial<RecordSpec>): Expected {
  const out = expectSame(e);
  out.set(domain, (out.get(domain) ?? []).map((r) => (r.uuid === uuid ? { ...r, ...fields } : r)));
  return out;
}

export function withDelete(e: Expected, domain: string, uuid: string): Expected {
  const out = expectSame(e);
  out.set(domain, (out.get(domain) ?? []).filter((r) => r.uuid !== uuid));
  return out;
}

export function withoutZone(e: Expected, domain: string): Expected {
  const out = expectSame(e);
  out.delete(domain);
  return out;
}

export interface Comparison {
  checked: number;
  lost: number;
  duplicated: number;
  unintended: number;
  problems: string[];
}

/** Compares zone by zone, record by record; also adds the figures to the run's tally. */
export function compare(expected: Expected, actual: Snapshot, record = true): Comparison {
  const c: Comparison = { checked: 0, lost: 0, duplicated: 0, unintended: 0, problems: [] };
  for (const domain of new Set([...expected.keys(), ...actual.keys()])) {
    const want = expected.get(domain);
    const have = actual.get(domain);
    if (!want) {
      c.unintended++;
      c.problems.push(`zone ${domain} exists but should not`);
      continue;
    }
    if (!have) {
      c.lost += Math.max(1, want.length);
      c.problems.push(`zone ${domain} is gone (${want.length} records expected)`);
      continue;
    }
    compareZone(domain, want, have, c);
  }
  if (record) {
    tally.records_checked += c.checked;
    tally.lost += c.lost;
    tally.duplicated += c.duplicated;
    tally.unintended += c.unintended;
  }
  return c;
}

function compareZone(domain: string, want: ExpectedRec[], have: Rec[], c: Comparison): void {
  const unused = new Set(have);
  const byUuid = new Map(have.map((r) => [r.uuid, r]));
  c.checked += Math.max(want.length, have.length);
  for (const w of want.filter((r) => r.uuid !== undefined)) {
    const h = byUuid.get(w.uuid as string);
    if (h && keyOf(h) === keyOf(w)) {
      unused.delete(h);
    } else if (h) {
      unused.delete(h);
      c.unintended++;
      c.problems.push(`${domain}: ${w.uuid} is ${keyOf(h)}, expected ${keyOf(w)}`);
    } else {
      c.lost++;
      c.problems.push(`${domain}: ${keyOf(w)} (${w.uuid}) is missing`);
    }
  }
  for (const w of want.filter((r) => r.uuid === undefined)) {
    const h = [...unused].find((r) => keyOf(r) === keyOf(w));
    if (h) unused.delete(h);
    else {
      c.lost++;
      c.problems.push(`${domain}: ${keyOf(w)} was not created`);
    }
  }
  const wanted = new Set(want.map(keyOf));
  for (const h of unused) {
    if (wanted.has(keyOf(h))) {
      c.duplicated++;
      c.problems.push(`${domain}: ${keyOf(h)} is duplicated (${h.uuid})`);
    } else {
      c.unintended++;
      c.problems.push(`${domain}: ${keyOf(h)} (${h.uuid}) should not be there`);
    }
  }
}
