/**
 * The sandbox's authoritative nameservers: each serves the emulator's zones as they were some
 * milliseconds ago (its publish delay), the way a provider's nameservers reload zone files a
 * while after an API change, each on its own schedule.
 */
import { createPublisher, type Publisher } from '../dns/publisher.js';
import { startDnsServer, type DnsServer } from '../dns/server.js';
import type { ZoneData } from '../dns/zone-rdata.js';
import type { Emulator } from '../emulator/index.js';

export interface SandboxNameserver {
  /** The nameserver's name as the zone's NS records give it. */
  host: string;
  address: string;
  port: number;
  publishDelayMs: number;
}

export interface NameserverSet {
  nameservers: SandboxNameserver[];
  close(): Promise<void>;
}

export interface NameserverSpec {
  host: string;
  port: number;
  publishDelayMs: number;
}

function snapshot(emu: Emulator, uuid: string): { domain: string; data: ZoneData } | undefined {
  const zone = emu.store.getZone(uuid);
  if (!zone) return undefined;
  const records = (zone.records ?? []).map(({ record_type, name, value, ttl, priority }) => ({ record_type, name, value, ttl, priority }));
  return { domain: zone.domain, data: { records, serial: emu.store.serial(uuid) } };
}

/** Starts one DNS server per spec on `address`, loaded with the current zones, following every change. */
export async function startNameservers(emu: Emulator, address: string, specs: NameserverSpec[]): Promise<NameserverSet> {
  const publishers: Publisher[] = [];
  const servers: DnsServer[] = [];
  // A deleted zone can no longer be looked up by uuid; remember which domain each uuid was.
  const domains = new Map<string, string>();
  let unsubscribe = (): void => undefined;
  const close = async () => {
    unsubscribe();
    for (const p of publishers) p.close();
    await Promise.all(servers.map((s) => s.close()));
  };
  try {
    for (const spec of specs) {
      const publisher = createPublisher(spec.publishDelayMs);
      publishers.push(publisher);
      servers.push(await startDnsServer({ lookup: publisher.lookup, host: address, port: spec.port, name: spec.host }));
    }
    for (const z of emu.store.listZones()) {
      const snap = snapshot(emu, z.uuid);
      if (!snap) continue;
      domains.set(z.uuid, snap.domain);
      for (const p of publishers) p.publishNow(snap.domain, snap.data);
    }
    const off = emu.onChange((uuid) => {
      const snap = snapshot(emu, uuid);
      const domain = snap?.domain ?? domains.get(uuid);
      if (!domain) return;
      if (snap) domains.set(uuid, domain);
      else domains.delete(uuid);
      for (const p of publishers) p.publish(domain, snap?.data);
    });
    unsubscribe = () => void off();
  } catch (err) {
    await close();
    throw err;
  }
  return {
    nameservers: specs.map((spec, i) => ({ host: spec.host, address, port: servers[i]?.port ?? spec.port, publishDelayMs: spec.publishDelayMs })),
    close,
  };
}
