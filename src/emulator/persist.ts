import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { RecordFields } from './validate.js';

export interface ZoneRow {
  uuid: string;
  domain: string;
  created_at: string;
  account: string;
  serial: number;
}

export interface RecordRow extends RecordFields {
  uuid: string;
  zone: string;
  created_at: string;
}

export interface StateSnapshot {
  version: 1;
  zones: ZoneRow[];
  records: RecordRow[];
}

function isRow(x: unknown, keys: string[]): boolean {
  return typeof x === 'object' && x !== null && keys.every((k) => k in x);
}

/** Reads a state file; undefined when it does not exist. Throws a clear Error when it is unusable. */
export function loadState(file: string): StateSnapshot | undefined {
  if (!existsSync(file)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`Emulator state file ${file} is not valid JSON (${(err as Error).message}); fix or delete it`);
  }
  const snap = data as Partial<StateSnapshot> | null;
  const ok =
    snap !== null &&
    snap.version === 1 &&
    Array.isArray(snap.zones) &&
    Array.isArray(snap.records) &&
    snap.zones.every((z) => isRow(z, ['uuid', 'domain', 'created_at', 'account', 'serial'])) &&
    snap.records.every((r) => isRow(r, ['uuid', 'zone', 'record_type', 'name', 'value', 'ttl', 'priority', 'created_at']));
  if (!ok) throw new Error(`Emulator state file ${file} does not hold emulator state (version 1 with zones and records); fix or delete it`);
  return snap as StateSnapshot;
}

/** Writes the state atomically: a reader (or a crash) never sees a half-written file. */
export function saveState(file: string, snap: StateSnapshot): void {
  const tmp = `${file}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(snap, null, 2)}\n`);
  renameSync(tmp, file);
}
