/**
 * The SOA a zone is served with (issue 12 point 11): the API has none, so export_zone_file and
 * the gate's snapshots ask the provider's nameservers for it, and write the SOA they serve (serial,
 * primary, mailbox, timers) rather than one made up here. Bounded: one try per nameserver, a short
 * timeout, the first authoritative answer wins; null when none answers.
 */
import { DEFAULT_NAMESERVERS, parseNameservers, resolveNameservers, type NameserverSpec } from './nameservers.js';
import { queryDns } from './query.js';
import { sameName } from './names.js';
import { isIP } from 'node:net';
import type { Soa } from '../domain/soa.js';
import type { Config } from '../config.js';

export const SOA_LOOKUP_TIMEOUT_MS = 1500;

/** The nameservers of the `VPSORG_NAMESERVERS` setting, or the provider's. */
export function configuredNameservers(setting: string | undefined): NameserverSpec[] {
  return setting ? parseNameservers(setting) : DEFAULT_NAMESERVERS;
}

/** `mname rname serial refresh retry expire minimum` (dns/values.ts SOA form) as an Soa. */
function parseSoa(value: string, ttl: number): Soa | null {
  const [mname, rname, ...nums] = value.split(' ');
  const n = nums.map(Number);
  // A nameserver's answer is untrusted: only plain host names go into a zone file (no blanks, `;` or quotes).
  const host = /^([a-z0-9_-]{1,63}\.)*$/i;
  if (!mname || !rname || !host.test(mname) || !host.test(rname) || n.length !== 5 || n.some((x) => !Number.isInteger(x) || x < 0)) return null;
  const [serial = 0, refresh = 0, retry = 0, expire = 0, minimum = 0] = n;
  return { mname: mname.toLowerCase(), rname: rname.toLowerCase(), serial, refresh, retry, expire, minimum, ttl };
}

/**
 * Nameserver sets that did not answer for a zone, until when: a gated write reads the SOA on every
 * round, and nameservers that cannot be reached (no network, a name that does not resolve) should
 * cost one wait per half minute, not one per call. Answers are never cached: the serial moves.
 */
const unanswered = new Map<string, number>();
export const UNANSWERED_TTL_MS = 30_000;

/** The SOA the first nameserver that answers authoritatively serves for `zone`, or null. */
export async function servedSoa(nameservers: NameserverSpec[], zone: string, opts: { timeoutMs?: number; signal?: AbortSignal; now?: () => number } = {}): Promise<Soa | null> {
  const now = opts.now ?? Date.now;
  const key = `${JSON.stringify(nameservers)}|${zone.toLowerCase()}`;
  if ((unanswered.get(key) ?? 0) > now()) return null;
  const soa = await askSoa(nameservers, zone, opts.timeoutMs ?? SOA_LOOKUP_TIMEOUT_MS, opts.signal);
  if (soa) unanswered.delete(key);
  else {
    if (unanswered.size >= 1000) unanswered.clear();
    unanswered.set(key, now() + UNANSWERED_TTL_MS);
  }
  return soa;
}

async function askSoa(nameservers: NameserverSpec[], zone: string, timeoutMs: number, signal: AbortSignal | undefined): Promise<Soa | null> {
  const { addresses } = await resolveNameservers(nameservers, { timeoutMs });
  for (const ns of addresses) {
    try {
      const r = await queryDns(ns, zone, 'SOA', { timeoutMs, tries: 1, ...(signal ? { signal } : {}) });
      if (!r.ok || r.rcode !== 'NOERROR' || !r.aa) continue;
      const a = r.answers.find((x) => x.type === 'SOA' && sameName(x.name, zone));
      const soa = a ? parseSoa(a.value, a.ttl) : null;
      if (soa) return soa;
    } catch {
      // A nameserver that cannot be asked (refused by policy, unreachable) is the same as one that does not answer.
    }
  }
  return null;
}

/** The nameserver hostnames the provider serves the zone from (addresses in the setting are not names). */
export function providerNsNames(config: Pick<Config, 'nameservers'>): string[] {
  const specs = configuredNameservers(config.nameservers);
  const names = specs.map((s) => s.host).filter((h) => isIP(h) === 0);
  return (names.length ? names : DEFAULT_NAMESERVERS.map((s) => s.host)).map((h) => (h.endsWith('.') ? h : `${h}.`));
}

/**
 * The SOA for a zone file of `zone`: the one its nameservers serve (serial, primary, timers), or
 * none, with a note that the generated one's serial is a placeholder.
 */
export async function zoneSoa(config: Pick<Config, 'nameservers'>, zone: string, signal?: AbortSignal): Promise<{ soa?: Soa; soaNote?: string }> {
  const soa = await servedSoa(configuredNameservers(config.nameservers), zone, signal ? { signal } : {});
  return soa ? { soa } : { soaNote: `SOA generated here: no nameserver answered for ${zone}'s SOA, so its serial (1) is a placeholder` };
}

/** What a zone file of `zone` is written with besides its records: the provider's nameservers and the served SOA. */
export async function zoneFileHead(config: Pick<Config, 'nameservers'>, zone: string, signal?: AbortSignal): Promise<{ nameservers: string[]; soa?: Soa; soaNote?: string }> {
  return { nameservers: providerNsNames(config), ...(await zoneSoa(config, zone, signal)) };
}
