import { isIPv4, isIPv6 } from 'node:net';

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const STRICT_V4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);

/** Dotted quad, each part 0-255 without leading zeros (`010` means octal to some resolvers' libc). */
export function isStrictIPv4(s: string): boolean {
  return STRICT_V4.test(s) && isIPv4(s);
}

/** The eight 16-bit groups of an IPv6 address (an embedded IPv4 tail included), or null. */
export function groupsOf(s: string): number[] | null {
  let text = s;
  // An embedded IPv4 tail (`::ffff:192.0.2.1`) is two hex groups written in dotted form.
  const lastColon = text.lastIndexOf(':');
  const v4 = text.slice(lastColon + 1);
  if (v4.includes('.')) {
    if (!isIPv4(v4)) return null;
    const [a = 0, b = 0, c = 0, d = 0] = v4.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string | undefined): number[] => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const head = parse(halves[0]);
  if (halves.length === 1) return head.length === 8 ? head : null;
  const tail = parse(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (missing < 1) return null;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

/**
 * The RFC 5952 text of an IPv6 address (lowercase, no leading zeros, the longest run of two or
 * more zero groups as `::`, the first on a tie; IPv4-mapped as `::ffff:a.b.c.d`), or null when
 * `s` is not an IPv6 address. Zone ids (`%eth0`) are refused: they mean nothing in DNS.
 */
export function canonicalIPv6(s: string): string | null {
  if (s.includes('%') || !isIPv6(s)) return null;
  const g = groupsOf(s.toLowerCase());
  if (!g || g.length !== 8) return null;
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    const a = g[6] ?? 0;
    const b = g[7] ?? 0;
    return `::ffff:${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`;
  }
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}
