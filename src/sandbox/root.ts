/**
 * A stand-in for the DNS root and registries, so check_delegation has a real walk in the sandbox
 * and never leaves loopback: it delegates every emulator zone straight to the sandbox's
 * nameservers, as a registrar would once the domain is pointed at the provider.
 */
import { startDnsServer, type DnsServer } from '../dns/server.js';
import type { ZoneData, ZoneRecord } from '../dns/zone-rdata.js';
import type { Emulator } from '../emulator/index.js';

export const SANDBOX_ROOT_HOST = 'a.root-servers.net';

function rootZone(emu: Emulator, nameservers: readonly string[], address: string, serial: number, extra: readonly ZoneRecord[]): ZoneData {
  const records: ZoneRecord[] = [...extra];
  for (const zone of emu.store.listZones()) {
    for (const ns of nameservers) records.push({ record_type: 'NS', name: `${zone.domain}.`, value: `${ns}.`, ttl: 172800 });
  }
  // Glue: the walk pins the real ports from VPSORG_NAMESERVERS; the addresses are for show.
  for (const ns of nameservers) records.push({ record_type: 'A', name: `${ns}.`, value: address, ttl: 172800 });
  return { records, serial };
}

export interface SandboxRoot {
  server: DnsServer;
  close(): Promise<void>;
}

/** `extra`: records the registries hold besides the delegations (absolute names), e.g. a DS. */
export async function startSandboxRoot(emu: Emulator, nameservers: readonly string[], address: string, extra: readonly ZoneRecord[] = []): Promise<SandboxRoot> {
  let serial = 1;
  let data = rootZone(emu, nameservers, address, serial, extra);
  const server = await startDnsServer({ lookup: (z) => (z === '.' ? data : undefined), host: address, name: 'root' });
  const off = emu.onChange(() => {
    data = rootZone(emu, nameservers, address, ++serial, extra);
  });
  return {
    server,
    async close() {
      off();
      await server.close();
    },
  };
}
