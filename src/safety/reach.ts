/**
 * Where the model may send DNS packets. check_propagation's `nameservers` argument is written by
 * the model, so it could make this server probe any host and port (UDP, then TCP) from inside the
 * operator's network. Unless the operator allows more, the model may name at most 8 public unicast
 * addresses on port 53; the nameservers the operator configured are always allowed.
 */
import { BlockList, isIP } from 'node:net';
import type { Config } from '../config.js';
import { UserError } from '../errors.js';
import { givenAddresses, parseNameservers, type NameserverAddress, type NameserverSpec } from '../dns/nameservers.js';

export const MAX_MODEL_NAMESERVERS = 8;
/** DNS exchanges one call may make toward model-given nameservers. */
export const MODEL_DNS_QUERY_BUDGET = 2_000;

// Two lists, one per family: node's BlockList checks an IPv4 address against IPv6 rules as its
// IPv4-mapped form, so one shared list holding ::ffff:0:0/96 refused every IPv4 address.
const NOT_PUBLIC_V4 = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15],
  ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) NOT_PUBLIC_V4.addSubnet(net, bits, 'ipv4');
// Every range that carries an IPv4 address is refused whatever it carries (a private IPv4 address
// must not be reachable through its IPv6 spelling): IPv4-compatible and -mapped, SIIT, NAT64,
// 6to4, Teredo (inside 2001::/23).
const NOT_PUBLIC_V6 = new BlockList();
for (const [net, bits] of [
  ['::', 96], ['::ffff:0:0', 96], ['::ffff:0:0:0', 96], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 23],
  ['2001:db8::', 32], ['2002::', 16], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) NOT_PUBLIC_V6.addSubnet(net, bits, 'ipv6');

/** Public unicast: not loopback, private (RFC 1918/4193), link-local, CGNAT, metadata, documentation, multicast or IPv4 inside IPv6. */
export function isPublicUnicast(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return family === 4 ? !NOT_PUBLIC_V4.check(address, 'ipv4') : !NOT_PUBLIC_V6.check(address, 'ipv6');
}

type ReachConfig = Pick<Config, 'nameservers' | 'allowPrivateNameservers'>;

function operatorListed(config: ReachConfig): Set<string> {
  const listed = config.nameservers ? givenAddresses(parseNameservers(config.nameservers)) : [];
  return new Set(listed.map((a) => `${a.address}|${a.port}`));
}

const refused = (message: string) =>
  new UserError(message, { code: 'policy', field: 'nameservers', hint: 'Leave out `nameservers` to ask the configured nameservers, or name public nameservers on port 53. The operator can allow more with VPSORG_ALLOW_PRIVATE_NAMESERVERS=true.' });

/** Checks the model's list before anything is sent; throws a policy error naming the rule. */
export function checkModelNameservers(specs: NameserverSpec[], config: ReachConfig): void {
  if (config.allowPrivateNameservers) return;
  if (specs.length > MAX_MODEL_NAMESERVERS) throw refused(`nameservers names ${specs.length} servers; at most ${MAX_MODEL_NAMESERVERS} may be given.`);
  const listed = operatorListed(config);
  for (const s of specs) {
    if (s.address !== undefined && listed.has(`${s.address}|${s.port}`)) continue;
    if (s.port !== 53) throw refused(`nameservers: ${s.host} on port ${s.port}: only port 53 may be named.`);
    if (s.address !== undefined && !isPublicUnicast(s.address)) throw refused(`nameservers: ${s.address} is not a public unicast address (loopback, private, link-local, shared or reserved).`);
  }
}

/**
 * Whether a nameserver address found in zone data (the apex NS hosts the provider lists, which
 * whoever edits the zone writes) may be asked: the rules of the model's list (public unicast,
 * port 53), unless the operator allows private nameservers or listed that address.
 */
export function zoneHostAllowed(config: ReachConfig): (a: { address: string; port: number }) => boolean {
  const listed = operatorListed(config);
  return (a) => config.allowPrivateNameservers || listed.has(`${a.address}|${a.port}`) || (a.port === 53 && isPublicUnicast(a.address));
}

/**
 * After lookup: drops addresses a model-given host name resolved to that are not public, keeps at
 * most 8, and marks the rest UDP-only unless on port 53. Dropped hosts are reported, not thrown.
 */
export function reachableAddresses(addresses: NameserverAddress[], config: ReachConfig): { addresses: NameserverAddress[]; errors: Array<{ host: string; error: string }> } {
  const listed = operatorListed(config);
  const errors: Array<{ host: string; error: string }> = [];
  const kept = addresses.filter((a) => {
    if (config.allowPrivateNameservers || listed.has(`${a.address}|${a.port}`) || isPublicUnicast(a.address)) return true;
    errors.push({ host: a.host, error: 'resolves to an address that is not public; not asked' });
    return false;
  });
  const capped = config.allowPrivateNameservers ? kept : kept.slice(0, MAX_MODEL_NAMESERVERS);
  if (capped.length < kept.length) errors.push({ host: '(more)', error: `only the first ${MAX_MODEL_NAMESERVERS} addresses are asked` });
  return { addresses: capped.map((a) => (a.port === 53 ? a : { ...a, tcp: false })), errors };
}

/** A model-given server's failure says only "unreachable": which ports refuse or time out is not for the model to map. */
export function collapseFailure<T extends { status: string; detail: string; rttMs: number; rcode: string | null }>(s: T): T {
  return s.status === 'error' && /^(timeout|network):/.test(s.detail) ? { ...s, detail: 'unreachable', rttMs: 0 } : s;
}
