/**
 * Every write a tool call makes goes through its ToolContext's API; runTool gives write tools a
 * recording wrapper of it, so whatever tool makes a change (today's or one added later) gets a
 * receipt without knowing. The wrapper remembers the last listing of each zone read before the
 * first write to it (the state the tool planned on) and the provider's answer to each write.
 */
import { OutcomeUnknownError } from '../api/errors.js';
import type { DnsRecord, VpsApi } from '../api/types.js';

/** Runs once, before the call's first write is sent (the pending journal entry); if it throws, nothing is sent. */
export type BeforeFirstWrite = (zone: { uuid: string; domain: string } | undefined) => Promise<void>;

export type Write = { kind: 'create'; after: DnsRecord } | { kind: 'update'; uuid: string; after: DnsRecord } | { kind: 'delete'; uuid: string };

export interface ZoneTrace {
  uuid: string;
  domain: string | undefined;
  /** The zone's records before the first write (empty for a zone this call created); undefined when never read. */
  base: DnsRecord[] | undefined;
  writes: Write[];
  created: boolean;
  deleted: boolean;
}

export class WriteRecorder {
  readonly api: VpsApi;
  private readonly traces = new Map<string, ZoneTrace>();
  private readonly domains = new Map<string, string>();
  private readonly seen = new Map<string, DnsRecord[]>();
  private readonly zoneOfRecord = new Map<string, string>();
  private begun: Promise<void> | undefined;
  /** Writes whose outcome the API client could not establish (sent, no answer, and no read-back proved it either way). */
  readonly unknown: string[] = [];

  constructor(
    private readonly inner: VpsApi,
    private readonly beforeFirst?: BeforeFirstWrite,
  ) {
    const learnZone = (z: { uuid: string; domain: string }) => this.domains.set(z.uuid, z.domain);
    this.api = {
      whoami: () => inner.whoami(),
      searchRecords: (f) => inner.searchRecords(f),
      getRecord: (u) => inner.getRecord(u),
      listZones: async (f) => {
        const res = await inner.listZones(f);
        res.items.forEach(learnZone);
        return res;
      },
      getZone: async (u) => {
        const z = await inner.getZone(u);
        learnZone(z);
        if (z.records) this.saw(z.uuid, z.records);
        return z;
      },
      listZoneRecords: async (u) => {
        const res = await inner.listZoneRecords(u);
        this.saw(u, res.items);
        return res;
      },
      createZone: async (d) => {
        await this.begin(undefined, d);
        const z = await this.sent(() => inner.createZone(d));
        learnZone(z);
        const t = this.trace(z.uuid, []);
        t.created = true;
        for (const r of z.records ?? []) t.writes.push({ kind: 'create', after: r });
        return z;
      },
      deleteZone: async (u) => {
        await this.ready(u);
        await this.begin(u);
        await this.sent(() => inner.deleteZone(u));
        this.trace(u).deleted = true;
      },
      createRecord: async (u, body) => {
        await this.ready(u);
        await this.begin(u);
        const r = await this.sent(() => inner.createRecord(u, body));
        this.zoneOfRecord.set(r.uuid, u);
        this.trace(u).writes.push({ kind: 'create', after: r });
        return r;
      },
      putRecord: (uuid, body) => this.update(uuid, () => inner.putRecord(uuid, body)),
      patchRecord: (uuid, body) => this.update(uuid, () => inner.patchRecord(uuid, body)),
      deleteRecord: async (uuid) => {
        const zone = this.zoneOfRecord.get(uuid);
        if (zone) await this.ready(zone);
        await this.begin(zone);
        await this.sent(() => inner.deleteRecord(uuid));
        this.trace(zone ?? '').writes.push({ kind: 'delete', uuid });
      },
    };
  }

  /** The first write of the call waits for `beforeFirst`; every later one for the same outcome (a refusal refuses them all). */
  private begin(zone: string | undefined, domain?: string): Promise<void> {
    const name = domain ?? (zone ? this.domains.get(zone) : undefined);
    this.begun ??= this.beforeFirst?.(name !== undefined ? { uuid: zone ?? '', domain: name } : undefined) ?? Promise.resolve();
    return this.begun;
  }

  private async sent<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      if (err instanceof OutcomeUnknownError) this.unknown.push(err.message);
      throw err;
    }
  }

  private saw(zone: string, records: DnsRecord[]): void {
    for (const r of records) this.zoneOfRecord.set(r.uuid, zone);
    if (!this.traces.has(zone)) this.seen.set(zone, records);
  }

  private trace(zone: string, base?: DnsRecord[]): ZoneTrace {
    let t = this.traces.get(zone);
    if (!t) {
      t = { uuid: zone, domain: undefined, base: base ?? this.seen.get(zone), writes: [], created: false, deleted: false };
      this.traces.set(zone, t);
    }
    return t;
  }

  /** Before the first write to a zone the tool never listed, read it: a receipt needs the before-state. */
  private async ready(zone: string): Promise<void> {
    if (this.traces.has(zone) || this.seen.has(zone)) return;
    await this.api.listZoneRecords(zone).catch(() => undefined);
  }

  private async update(uuid: string, send: () => Promise<DnsRecord>): Promise<DnsRecord> {
    const zone = this.zoneOfRecord.get(uuid);
    if (zone) await this.ready(zone);
    await this.begin(zone);
    const r = await this.sent(send);
    this.trace(zone ?? '').writes.push({ kind: 'update', uuid, after: r });
    return r;
  }

  /** What the call changed, per zone (an empty list when it wrote nothing). A zone the call never looked up by name is asked for its domain. */
  async result(): Promise<ZoneTrace[]> {
    const out: ZoneTrace[] = [];
    for (const t of this.traces.values()) {
      if (!this.domains.has(t.uuid) && t.uuid && !t.deleted) await this.api.getZone(t.uuid).catch(() => undefined);
      out.push({ ...t, domain: this.domains.get(t.uuid) });
    }
    return out;
  }
}
