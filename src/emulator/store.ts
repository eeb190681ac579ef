import { randomUUID } from 'node:crypto';
import { log } from '../log.js';
import type { DnsRecord, ZoneDetail, ZoneSummary } from '../api/types.js';
import { ApiError, notFound } from './api-error.js';
import { bareName, normalizeDomain } from './names.js';
import { loadState, saveState, type RecordRow, type ZoneRow } from './persist.js';
import { checkConflicts } from './conflicts.js';
import { validateRecord } from './validate.js';
import type { EmulatorStore, SeedRecord } from './types.js';

export const DEFAULT_ACCOUNT = 'acct-1';

/** YYYYMMDDnn serials (RFC 1912 section 2.2), always increasing even past 99 changes a day. */
function nextSerial(prev: number): number {
  const day = Number(new Date().toISOString().slice(0, 10).replaceAll('-', ''));
  return Math.max(prev + 1, day * 100 + 1);
}

/** The emulator's state: zones and records of every account, with optional persistence. */
export class Store implements EmulatorStore {
  readonly zones = new Map<string, ZoneRow>();
  readonly records = new Map<string, RecordRow>();
  private readonly listeners = new Set<(zoneUuid: string) => void>();
  private readonly stateFile: string | undefined;
  private readonly seed: (store: Store) => void;

  constructor(opts: { stateFile?: string | undefined; seed: (store: Store) => void }) {
    this.stateFile = opts.stateFile;
    this.seed = opts.seed;
    const snap = this.stateFile ? loadState(this.stateFile) : undefined;
    if (snap) {
      for (const z of snap.zones) this.zones.set(z.uuid, z);
      for (const r of snap.records) this.records.set(r.uuid, r);
    } else {
      this.seed(this);
      this.persist();
    }
  }

  subscribe(cb: (zoneUuid: string) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** After every change: bump the zone's serial, persist, tell the listeners. */
  changed(zoneUuid: string): void {
    const zone = this.zones.get(zoneUuid);
    if (zone) zone.serial = nextSerial(zone.serial);
    this.persist();
    for (const cb of [...this.listeners]) {
      try {
        cb(zoneUuid);
      } catch (err) {
        log.warn(`emulator: an onChange listener failed: ${(err as Error).message}`);
      }
    }
  }

  private persist(): void {
    if (this.stateFile) saveState(this.stateFile, { version: 1, zones: [...this.zones.values()], records: [...this.records.values()] });
  }

  // ---- rendering (copies, so callers cannot reach into the state) ----
  recordsOf(zoneUuid: string): RecordRow[] {
    return [...this.records.values()].filter((r) => r.zone === zoneUuid);
  }
  renderRecord(r: RecordRow): DnsRecord {
    const { uuid, record_type, name, value, ttl, priority, created_at } = r;
    return { uuid, record_type, name, value, ttl, priority, created_at };
  }
  renderSummary(z: ZoneRow): ZoneSummary {
    return { uuid: z.uuid, domain: z.domain, created_at: z.created_at, record_count: this.recordsOf(z.uuid).length };
  }
  renderDetail(z: ZoneRow): ZoneDetail {
    return { ...this.renderSummary(z), records: this.recordsOf(z.uuid).map((r) => this.renderRecord(r)) };
  }

  // ---- operations used by the HTTP routes; they throw ApiError ----
  zoneFor(uuid: string, account: string): ZoneRow {
    const zone = this.zones.get(uuid);
    if (!zone || zone.account !== account) throw notFound('Zone not found');
    return zone;
  }
  recordFor(uuid: string, account: string): RecordRow {
    const record = this.records.get(uuid);
    const zone = record && this.zones.get(record.zone);
    if (!record || !zone || zone.account !== account) throw notFound('Record not found');
    return record;
  }

  createZone(domainInput: unknown, account: string): ZoneRow {
    const domain = normalizeDomain(domainInput);
    if (this.findRow(domain)) throw new ApiError(400, 'zone_exists', `zone already exists: ${domain}`, { field: 'domain' });
    const zone: ZoneRow = { uuid: randomUUID(), domain, created_at: new Date().toISOString(), account, serial: nextSerial(0) };
    this.zones.set(zone.uuid, zone);
    return zone;
  }

  deleteZone(zone: ZoneRow): void {
    for (const r of this.recordsOf(zone.uuid)) this.records.delete(r.uuid);
    this.zones.delete(zone.uuid);
  }

  createRecord(zone: ZoneRow, body: Record<string, unknown>): RecordRow {
    const fields = validateRecord(body, zone.domain);
    checkConflicts(this.recordsOf(zone.uuid), fields, undefined);
    const row: RecordRow = { uuid: randomUUID(), zone: zone.uuid, ...fields, created_at: new Date().toISOString() };
    this.records.set(row.uuid, row);
    return row;
  }

  deleteRecord(record: RecordRow): void {
    this.records.delete(record.uuid);
  }

  /** PUT (whole record) or PATCH (a subset merged over the stored record, then revalidated). */
  updateRecord(record: RecordRow, body: Record<string, unknown>, partial: boolean): RecordRow {
    const zone = this.zones.get(record.zone);
    if (!zone) throw notFound('Record not found');
    const input = partial ? { ...this.renderRecord(record), ...body } : body;
    const fields = validateRecord(input, zone.domain);
    checkConflicts(this.recordsOf(zone.uuid), fields, record.uuid);
    Object.assign(record, fields);
    return record;
  }

  private findRow(domain: string): ZoneRow | undefined {
    return [...this.zones.values()].find((z) => z.domain === domain);
  }

  // ---- EmulatorStore: direct access for tests and the sandbox ----
  addZone(domain: string, records: SeedRecord[] = [], account: string = DEFAULT_ACCOUNT): ZoneDetail {
    const zone = this.createZone(domain, account);
    try {
      for (const r of records) this.createRecord(zone, { ...r });
    } catch (err) {
      this.deleteZone(zone);
      throw err;
    }
    this.changed(zone.uuid);
    return this.renderDetail(zone);
  }
  listZones(account?: string): ZoneSummary[] {
    return [...this.zones.values()].filter((z) => account === undefined || z.account === account).map((z) => this.renderSummary(z));
  }
  getZone(uuid: string): ZoneDetail | undefined {
    const zone = this.zones.get(uuid);
    return zone && this.renderDetail(zone);
  }
  findZone(domain: string): ZoneDetail | undefined {
    const zone = this.findRow(bareName(domain));
    return zone && this.renderDetail(zone);
  }
  serial(zoneUuid: string): number {
    return this.zones.get(zoneUuid)?.serial ?? 0;
  }
  allRecords(): DnsRecord[] {
    return [...this.records.values()].map((r) => this.renderRecord(r));
  }
  /** Back to the start-up seed ('empty' or 'demo'); the state file is rewritten. */
  reset(): void {
    const before = [...this.zones.keys()];
    this.zones.clear();
    this.records.clear();
    this.seed(this);
    this.persist();
    for (const uuid of new Set([...before, ...this.zones.keys()])) this.changed(uuid);
  }
}
