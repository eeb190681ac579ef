/**
 * Dry runs you can dig (issue 25.6): planned zones served for a few minutes by a nameserver of
 * their own on loopback, so `dig`, check_propagation, check_delegation and the live audit can ask
 * the future zone before it is applied. One preview per zone (a newer one replaces it), a few
 * zones at once (the oldest goes), each for PREVIEW_TTL_MS: the server holds no more than a few
 * small zones, and a preview never outlives the plan it was made from by long.
 */
import { randomBytes } from 'node:crypto';
import { startDnsServer, type DnsServer } from './server.js';
import { wireName, type ZoneData } from './zone-rdata.js';

export const PREVIEW_TTL_MS = 10 * 60_000;
export const MAX_PREVIEWS = 5;

export interface Preview {
  id: string;
  /** The zone's domain, lowercase, no trailing dot. */
  zone: string;
  zoneUuid: string;
  /** What the nameserver serves: the records after the plan, and the SOA serial it gets. */
  data: ZoneData;
  /** The plan it serves (zone, live records, changes) and the call's arguments, as digests. */
  planDigest: string;
  argsDigest: string;
  createdAt: number;
  expiresAt: number;
}

export interface PreviewEndpoint {
  host: string;
  port: number;
}

/** Why an id does not name a live preview: never issued here, expired, replaced or evicted. */
export type PreviewMiss = { why: 'unknown' | 'expired' | 'replaced' | 'evicted'; zone?: string; by?: string };

export class PreviewBook {
  private readonly live = new Map<string, Preview>();
  /** Ids that ended, and why (bounded): so a stale id is refused with its reason, not "unknown". */
  private readonly ended = new Map<string, PreviewMiss>();
  private server: Promise<DnsServer> | undefined;

  constructor(
    /** Where the nameserver listens (port 0: a free one, chosen at the first preview). */
    readonly listen: PreviewEndpoint,
    private readonly now: () => number = Date.now,
    readonly ttlMs = PREVIEW_TTL_MS,
    readonly max = MAX_PREVIEWS,
  ) {}

  /** The nameserver's address, started on first use. Its sockets do not keep the process alive. */
  async endpoint(): Promise<PreviewEndpoint> {
    this.server ??= startDnsServer({ host: this.listen.host, port: this.listen.port, name: 'preview', lookup: (zone) => this.serving(zone)?.data, unref: true });
    try {
      const s = await this.server;
      return { host: s.host, port: s.port };
    } catch (err) {
      this.server = undefined;
      throw err;
    }
  }

  /** Files a preview of `zone` (replacing the zone's earlier one, evicting the oldest past `max`). */
  add(p: Omit<Preview, 'id' | 'createdAt' | 'expiresAt'>): Preview {
    this.sweep();
    const createdAt = this.now();
    const preview: Preview = { ...p, zone: wireName(p.zone), id: `pv_${randomBytes(9).toString('base64url')}`, createdAt, expiresAt: createdAt + this.ttlMs };
    for (const old of this.live.values()) if (old.zone === preview.zone) this.end(old, { why: 'replaced', zone: old.zone, by: preview.id });
    while (this.live.size >= this.max) {
      const oldest = [...this.live.values()].sort((a, b) => a.createdAt - b.createdAt)[0] as Preview;
      this.end(oldest, { why: 'evicted', zone: oldest.zone });
    }
    this.live.set(preview.id, preview);
    return preview;
  }

  /** The live preview `id`, or why there is none. */
  get(id: string): Preview | PreviewMiss {
    this.sweep();
    return this.live.get(id) ?? this.ended.get(id) ?? { why: 'unknown' };
  }

  /** The preview the nameserver serves for `zone` now, if any. */
  serving(zone: string): Preview | undefined {
    const key = wireName(zone);
    const now = this.now();
    for (const p of this.live.values()) if (p.zone === key && p.expiresAt > now) return p;
    return undefined;
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    this.live.clear();
    await (await s?.catch(() => undefined))?.close();
  }

  private sweep(): void {
    const now = this.now();
    for (const p of this.live.values()) if (p.expiresAt <= now) this.end(p, { why: 'expired', zone: p.zone });
  }

  private end(p: Preview, miss: PreviewMiss): void {
    this.live.delete(p.id);
    this.ended.set(p.id, miss);
    if (this.ended.size > 200) this.ended.delete(this.ended.keys().next().value as string);
  }
}
