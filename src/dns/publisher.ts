/**
 * What one nameserver has loaded, and when it loads a change. A real provider regenerates zone
 * files and reloads each nameserver some time after an API change, and secondaries lag behind
 * their primary: a per-server delay reproduces that, so a propagation check has something to
 * wait for.
 */
import { wireName, type ZoneData } from './zone-rdata.js';

export interface Publisher {
  /** The zone as this server has it now (what its answers come from). */
  lookup(zone: string): ZoneData | undefined;
  /** Loads a snapshot (undefined: the zone is gone) after this publisher's delay. */
  publish(zone: string, data: ZoneData | undefined): void;
  /** Loads a snapshot at once (start-up). */
  publishNow(zone: string, data: ZoneData | undefined): void;
  readonly delayMs: number;
  /** Drops the pending loads. */
  close(): void;
}

const key = wireName;

export function createPublisher(delayMs: number): Publisher {
  const zones = new Map<string, ZoneData>();
  const timers = new Set<NodeJS.Timeout>();
  const load = (zone: string, data: ZoneData | undefined) => {
    if (data) zones.set(key(zone), data);
    else zones.delete(key(zone));
  };
  return {
    delayMs,
    lookup: (zone) => zones.get(key(zone)),
    publishNow: load,
    publish(zone, data) {
      // The snapshot is taken at change time, so loads happen in change order even when late.
      if (delayMs <= 0) return load(zone, data);
      const timer = setTimeout(() => {
        timers.delete(timer);
        load(zone, data);
      }, delayMs);
      timer.unref();
      timers.add(timer);
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
