/**
 * Hosting services whose customer names are takeover candidates when left dangling
 * (hosting-suffixes.json: its source and date are in the file). `nxdomain` services answer
 * NXDOMAIN once the resource is gone, so DNS alone tells; `http` services answer for every name,
 * so only their HTTP fingerprint would, and this audit does not probe over HTTP.
 */
import data from './hosting-suffixes.json' with { type: 'json' };

export interface HostingService {
  service: string;
  suffixes: string[];
  signal: 'nxdomain' | 'http';
  status: 'vulnerable' | 'edge case';
  fingerprint?: string;
}

export const HOSTING_SOURCE: { source: string; retrieved: string } = { source: data.source, retrieved: data.retrieved };
const SERVICES = data.services as HostingService[];

/** The service a host name belongs to (it is at or below one of its suffixes), if listed. */
export function hostingOf(host: string): (HostingService & { suffix: string }) | null {
  const h = host.toLowerCase().replace(/\.$/, '');
  for (const s of SERVICES) {
    const suffix = s.suffixes.find((x) => h === x || h.endsWith(`.${x}`));
    if (suffix) return { ...s, suffix };
  }
  return null;
}
