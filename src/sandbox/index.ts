/**
 * The sandbox: everything an account would give, on this machine. The VPS.org API emulator
 * (seeded with a realistic example.com), a freshly generated token that only it accepts, and
 * two authoritative nameservers on loopback that serve the emulator's zones with a publish
 * delay, so a change can be watched propagating. Nothing leaves loopback.
 */
import { randomBytes } from 'node:crypto';
import { PERMISSIONS } from '../api/types.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { startNameservers, type NameserverSet, type SandboxNameserver } from './nameservers.js';
import type { ZoneRecord } from '../dns/zone-rdata.js';
import { SANDBOX_ROOT_HOST, startSandboxRoot, type SandboxRoot } from './root.js';

export type { SandboxNameserver } from './nameservers.js';

export interface SandboxOptions {
  /** Keep the emulator's state in this JSON file across restarts (created when missing). */
  stateFile?: string | undefined;
  /** Publish delay of ns1 and ns2 in ms (default [0, 2000]: ns2 lags like a secondary). */
  publishDelayMs?: readonly number[] | undefined;
  /** UDP+TCP ports of ns1 and ns2 (default: free ports). */
  dnsPorts?: readonly number[] | undefined;
  /** The emulator's port (default: a free port). */
  apiPort?: number | undefined;
  /** Default 127.0.0.1. */
  address?: string | undefined;
  /**
   * Records the stand-in registries serve besides the delegations (absolute names), e.g. a DS
   * for a zone (the API has no DS type): the live audit's fixtures.
   */
  registryRecords?: readonly ZoneRecord[] | undefined;
}

export interface SandboxEnv {
  VPSORG_API_URL: string;
  VPSORG_API_TOKEN: string;
  VPSORG_NAMESERVERS: string;
  /** check_delegation walks from the sandbox's own root, never the real one. */
  VPSORG_DNS_ROOTS: string;
  [key: string]: string;
}

export interface Sandbox {
  emu: Emulator;
  nameservers: SandboxNameserver[];
  /** The settings that point the server (or any automation) at the sandbox. */
  env: SandboxEnv;
  close(): Promise<void>;
}

export const SANDBOX_NAMESERVERS = ['ns1.vps.org', 'ns2.vps.org'] as const;
export const DEFAULT_PUBLISH_DELAYS = [0, 2000] as const;

/** `host=ip:port,...`: the VPSORG_NAMESERVERS form that keeps the names the zone's NS records use. */
export function nameserverSetting(nameservers: readonly SandboxNameserver[]): string {
  return nameservers.map((ns) => `${ns.host}=${ns.address.includes(':') ? `[${ns.address}]` : ns.address}:${ns.port}`).join(',');
}

function checkList(what: string, list: readonly number[] | undefined, max: number): void {
  if (list === undefined) return;
  if (list.length > SANDBOX_NAMESERVERS.length || list.some((n) => !Number.isInteger(n) || n < 0 || n > max)) {
    throw new RangeError(`${what}: give at most ${SANDBOX_NAMESERVERS.length} integers from 0 to ${max}, got ${JSON.stringify(list)}`);
  }
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  checkList('publishDelayMs', opts.publishDelayMs, 600_000);
  checkList('dnsPorts', opts.dnsPorts, 65535);
  const address = opts.address ?? '127.0.0.1';
  // A new token per run: only this process's emulator accepts it, and it is never a real one.
  const token = `vps_sandbox_${randomBytes(16).toString('hex')}`;
  const emu = await startEmulator({
    seed: 'demo',
    host: address,
    ...(opts.apiPort !== undefined ? { port: opts.apiPort } : {}),
    ...(opts.stateFile ? { stateFile: opts.stateFile } : {}),
    tokens: [{ token, permissions: [...PERMISSIONS], name: 'sandbox token' }],
  });
  let set: NameserverSet | undefined;
  let root: SandboxRoot | undefined;
  try {
    set = await startNameservers(
      emu,
      address,
      SANDBOX_NAMESERVERS.map((host, i) => ({ host, port: opts.dnsPorts?.[i] ?? 0, publishDelayMs: opts.publishDelayMs?.[i] ?? DEFAULT_PUBLISH_DELAYS[i] ?? 0 })),
    );
    root = await startSandboxRoot(emu, SANDBOX_NAMESERVERS, address, opts.registryRecords);
  } catch (err) {
    await Promise.all([set?.close(), emu.close()]);
    throw err;
  }
  const [dns, rootServer] = [set, root];
  const hostPort = (port: number) => `${address.includes(':') ? `[${address}]` : address}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    emu,
    nameservers: dns.nameservers,
    env: {
      VPSORG_API_URL: emu.url,
      VPSORG_API_TOKEN: token,
      VPSORG_NAMESERVERS: nameserverSetting(dns.nameservers),
      VPSORG_DNS_ROOTS: `${SANDBOX_ROOT_HOST}=${hostPort(rootServer.server.port)}`,
      // Every sandbox nameserver is on loopback: the model may name them (safety/reach.ts).
      VPSORG_ALLOW_PRIVATE_NAMESERVERS: 'true',
      // Dry runs with preview: true are served on a free loopback port (docs/safety.md).
      VPSORG_PREVIEW_DNS: '127.0.0.1:0',
    },
    close() {
      closing ??= Promise.all([dns.close(), rootServer.close(), emu.close()]).then(() => undefined);
      return closing;
    },
  };
}

/** What the sandbox is, for a person reading stderr. */
export function describeSandbox(sb: Sandbox, stateFile: string | undefined): string {
  const ns = sb.nameservers.map((n) => `  ${n.host} on ${n.address}:${n.port} (UDP+TCP), publishes changes after ${n.publishDelayMs} ms`);
  return [
    `Sandbox: VPS.org API emulator at ${sb.emu.url}/api/v1/ with a demo zone example.com (token ${sb.env.VPSORG_API_TOKEN}, valid for this run only)`,
    ...ns,
    `  try: dig @${sb.nameservers[0]?.address ?? '127.0.0.1'} -p ${sb.nameservers[0]?.port ?? 53} example.com ANY +norec`,
    stateFile ? `  state kept in ${stateFile}` : '  state kept in memory only (add --state FILE to keep it across restarts)',
  ].join('\n');
}
