import { BlockList, isIPv4, isIPv6 } from 'node:net';

export interface AddressClass {
  kind: 'private' | 'documentation';
  label: string;
}

type Range = [string, number, string];

// Not reachable from the internet (RFC 6890 special-purpose registries): a public record that
// points here either leaks an internal address or sends visitors nowhere.
const PRIVATE_V4: Range[] = [
  ['0.0.0.0', 8, '"this network" (RFC 791)'],
  ['10.0.0.0', 8, 'private (RFC 1918)'],
  ['100.64.0.0', 10, 'carrier-grade NAT (RFC 6598)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private (RFC 1918)'],
  ['192.0.0.0', 24, 'IETF protocol assignments (RFC 6890)'],
  ['192.168.0.0', 16, 'private (RFC 1918)'],
  ['198.18.0.0', 15, 'benchmarking (RFC 2544)'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];
const PRIVATE_V6: Range[] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['64:ff9b:1::', 48, 'local-use NAT64 (RFC 8215)'],
  ['100::', 64, 'discard-only (RFC 6666)'],
  ['fc00::', 7, 'unique local (RFC 4193)'],
  ['fe80::', 10, 'link-local'],
  ['ff00::', 8, 'multicast'],
];
// Reserved for examples (RFC 5737, RFC 3849, RFC 9637): harmless in a demo, wrong in production.
const DOC_V4: Range[] = [
  ['192.0.2.0', 24, 'documentation (RFC 5737)'],
  ['198.51.100.0', 24, 'documentation (RFC 5737)'],
  ['203.0.113.0', 24, 'documentation (RFC 5737)'],
];
const DOC_V6: Range[] = [
  ['2001:db8::', 32, 'documentation (RFC 3849)'],
  ['3fff::', 20, 'documentation (RFC 9637)'],
];

interface Compiled extends AddressClass {
  list: BlockList;
}

function compile(kind: AddressClass['kind'], ranges: Range[]): Compiled[] {
  return ranges.map(([net, prefix, label]) => {
    const list = new BlockList();
    list.addSubnet(net, prefix, isIPv6(net) ? 'ipv6' : 'ipv4');
    return { list, kind, label };
  });
}

// BlockList matches an IPv4-mapped IPv6 address (::ffff:10.0.0.1) against IPv4 ranges too.
const RANGES = [...compile('private', [...PRIVATE_V4, ...PRIVATE_V6]), ...compile('documentation', [...DOC_V4, ...DOC_V6])];

/** The special-purpose range an address falls in, or null for an ordinary public address (or not an address). */
export function classifyAddress(address: string): AddressClass | null {
  const a = address.trim();
  const family = isIPv4(a) ? 'ipv4' : isIPv6(a) && !a.includes('%') ? 'ipv6' : null;
  if (!family) return null;
  const hit = RANGES.find((r) => r.list.check(a, family));
  return hit ? { kind: hit.kind, label: hit.label } : null;
}
