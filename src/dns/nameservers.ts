/**
 * Which nameserver addresses to ask. Configured as a comma list (VPSORG_NAMESERVERS) so tests and
 * unusual setups can point at any host, address and port; hostnames are resolved to every
 * address they have, because each address is a separate server that can lag on its own.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { UserError } from '../errors.js';
import { normaliseName } from '../domain/model.js';
import { canonicalName, nameProblem } from './names.js';

export interface NameserverSpec {
  host: string;
  address?: string;
  port: number;
}

export interface NameserverAddress {
  host: string;
  address: string;
  port: number;
  family: 4 | 6;
}

/** The provider's nameservers (contract: "Nameservers and propagation"). */
export const DEFAULT_NAMESERVERS: NameserverSpec[] = [
  { host: 'ns1.vps.org', port: 53 },
  { host: 'ns2.vps.org', port: 53 },
];

const EXAMPLES = 'ns1.example.com, ns1.example.com:5353, 192.0.2.1, 192.0.2.1:5353, [2001:db8::1]:53, ns1.example.com=127.0.0.1:5353';

function bad(index: number, item: string, why: string): UserError {
  return new UserError(`nameservers item ${index + 1} "${item}": ${why}`, { code: 'validation', field: 'nameservers', hint: `Use a comma list of host, host:port, ip, ip:port, [ipv6]:port or host=ip:port, e.g. ${EXAMPLES}.` });
}

/** Splits `x:port` / `[v6]:port` / bare v6 / `x` into its parts. */
function splitHostPort(text: string): { host: string; port: string | undefined } {
  const v6 = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (v6) return { host: v6[1] as string, port: v6[2] };
  if (isIP(text) === 6) return { host: text, port: undefined };
  const i = text.lastIndexOf(':');
  return i < 0 ? { host: text, port: undefined } : { host: text.slice(0, i), port: text.slice(i + 1) };
}

function parsePort(index: number, item: string, port: string | undefined): number {
  if (port === undefined) return 53;
  const n = Number(port);
  if (!/^\d+$/.test(port) || n < 1 || n > 65535) throw bad(index, item, `port "${port}" is not a number from 1 to 65535`);
  return n;
}

function checkHost(index: number, item: string, host: string): string {
  if (host === '') throw bad(index, item, 'the host name is empty');
  const problem = /^[A-Za-z0-9_.-]+$/.test(host) ? nameProblem(host) : 'has characters a host name cannot have (letters, digits, \'-\', \'_\' and dots only)';
  if (problem) throw bad(index, item, `host "${host}" ${problem}`);
  return canonicalName(host);
}

/** Parses a VPSORG_NAMESERVERS value. Throws a UserError naming the first bad item. */
export function parseNameservers(text: string): NameserverSpec[] {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new UserError('nameservers: the list is empty', { code: 'validation', field: 'nameservers', hint: `e.g. ${EXAMPLES}` });
  return items.map((item, index) => {
    const eq = item.indexOf('=');
    if (eq >= 0) {
      const host = checkHost(index, item, item.slice(0, eq).trim());
      const { host: address, port } = splitHostPort(item.slice(eq + 1).trim());
      if (isIP(address) === 0) throw bad(index, item, `"${address}" after "=" is not an IPv4 or IPv6 address`);
      return { host, address, port: parsePort(index, item, port) };
    }
    const { host, port } = splitHostPort(item);
    if (isIP(host) !== 0) return { host, address: host, port: parsePort(index, item, port) };
    return { host: checkHost(index, item, host), port: parsePort(index, item, port) };
  });
}

/** The hosts the zone's own apex NS records name, from the API's records. */
export function apexNsHosts(records: ReadonlyArray<{ name: string; record_type: string; value: string }>, zone: string): string[] {
  return records.filter((r) => r.record_type === 'NS' && normaliseName(r.name, zone) === '@').map((r) => r.value);
}

/** Adds the zone's apex NS hosts that the configured list does not already name (port 53). */
export function withApexNameservers(specs: NameserverSpec[], apexNs: string[]): NameserverSpec[] {
  const known = new Set(specs.map((s) => canonicalName(s.host)));
  const extra = [...new Set(apexNs.map(canonicalName))].filter((h) => h !== '.' && !known.has(h) && !nameProblem(h));
  return [...specs, ...extra.map((host) => ({ host, port: 53 }))];
}

export type LookupFn = (host: string) => Promise<Array<{ address: string; family: number }>>;

const addressOf = (host: string, address: string, port: number): NameserverAddress => ({ host, address, port, family: isIP(address) === 6 ? 6 : 4 });

/** The specs that carry an address (ip, ip:port, host=ip:port), with no lookup; the others are left out. */
export function givenAddresses(specs: NameserverSpec[]): NameserverAddress[] {
  return specs.flatMap((s) => (s.address === undefined ? [] : [addressOf(s.host, s.address, s.port)]));
}

const systemLookup: LookupFn = (host) => dnsLookup(host, { all: true, verbatim: true });

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves every spec to all of its addresses; a host that fails is reported, not thrown. */
export async function resolveNameservers(
  specs: NameserverSpec[],
  opts: { lookup?: LookupFn; timeoutMs?: number } = {},
): Promise<{ addresses: NameserverAddress[]; errors: Array<{ host: string; error: string }> }> {
  const lookup = opts.lookup ?? systemLookup;
  const errors: Array<{ host: string; error: string }> = [];
  const perSpec = await Promise.all(
    specs.map(async (spec): Promise<NameserverAddress[]> => {
      if (spec.address !== undefined) return [addressOf(spec.host, spec.address, spec.port)];
      try {
        const found = await withTimeout(lookup(spec.host), opts.timeoutMs ?? 5000, `looking up ${spec.host}`);
        const usable = found.filter((a) => isIP(a.address) !== 0);
        if (usable.length === 0) errors.push({ host: spec.host, error: 'the name has no IPv4 or IPv6 address' });
        return usable.map((a) => addressOf(spec.host, a.address, spec.port));
      } catch (err) {
        errors.push({ host: spec.host, error: `cannot resolve ${spec.host}: ${err instanceof Error ? err.message : String(err)}` });
        return [];
      }
    }),
  );
  const seen = new Set<string>();
  const addresses = perSpec.flat().filter((a) => {
    const key = `${a.address}|${a.port}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { addresses, errors };
}
