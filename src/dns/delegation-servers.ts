/**
 * The servers a delegation names, each asked for the zone's SOA: authoritative ("ok"), lame,
 * unreachable or unresolved, and what to do about the ones that fail.
 */
import type { NameserverAddress } from './nameservers.js';
import { canonicalName, sameName } from './names.js';
import type { Rr } from './packet.js';
import { soaSerial } from './values.js';
import { ask, hostAddresses, operators, type WalkContext } from './walk.js';

export interface DelegationServer {
  host: string;
  address: string | null;
  port: number | null;
  status: 'ok' | 'lame' | 'unreachable' | 'unresolved';
  aa: boolean | null;
  rcode: string | null;
  serial: number | null;
  rttMs: number | null;
  detail: string;
}

const norm = (list: string[]) => [...new Set(list.map(canonicalName))].filter((h) => h !== '.').sort();

async function checkServer(ctx: WalkContext, zone: string, s: NameserverAddress): Promise<DelegationServer> {
  const r = await ask(ctx, s, zone, 'SOA');
  const base = { host: s.host, address: s.address, port: s.port, rttMs: r.rttMs };
  if (!r.ok) return { ...base, status: 'unreachable', aa: null, rcode: null, serial: null, detail: `${r.kind}: ${r.error}` };
  const soa = r.answers.find((a) => a.type === 'SOA' && sameName(a.name, zone));
  const head = { ...base, aa: r.aa, rcode: r.rcode, serial: soa ? soaSerial(soa.value) : null };
  if (r.rcode === 'NOERROR' && r.aa && soa) return { ...head, status: 'ok', detail: 'answers authoritatively' };
  const why = r.rcode !== 'NOERROR' ? r.rcode : !r.aa ? (r.authorities.some((a) => a.type === 'NS') ? 'a referral instead of an answer' : 'an answer without the AA flag') : 'no SOA record for the zone';
  return { ...head, status: 'lame', detail: `not authoritative for ${zone}: ${why}` };
}

const noAddress = (host: string, detail: string): DelegationServer => ({ host, address: null, port: null, status: 'unresolved', aa: null, rcode: null, serial: null, rttMs: null, detail });

/**
 * Every address not named by the operator (glue, lookups: what the parent's and the zone's own NS
 * records lead to, which anyone can publish) gets the reach rules of a model-given nameserver
 * (ctx.mayAsk, safety/reach.ts): refused addresses are not asked, and a failure reads only
 * "unreachable", so the model cannot map which ports answer inside the operator's network.
 */
export async function checkServers(ctx: WalkContext, zone: string, hosts: string[], glue: Rr[]): Promise<DelegationServer[]> {
  const perHost = await Promise.all(
    hosts.map(async (host): Promise<DelegationServer[]> => {
      const found = await hostAddresses(ctx, host, glue, 1);
      if (!found.length) return [noAddress(host, 'no IPv4 or IPv6 address found for this name')];
      const addresses = found.filter((a) => operators(ctx, a) || ctx.mayAsk(a));
      if (!addresses.length) return [{ ...noAddress(host, 'resolves to an address that is not public; not asked'), status: 'unreachable' }];
      return Promise.all(
        addresses.map(async (a) => {
          const s = await checkServer(ctx, zone, a);
          return s.status === 'unreachable' && !operators(ctx, a) ? { ...s, detail: 'unreachable', rttMs: 0 } : s;
        }),
      );
    }),
  );
  return perHost.flat();
}

/** The NS set the given (authoritative) servers serve at the zone's apex. */
export async function servedNs(ctx: WalkContext, zone: string, servers: DelegationServer[]): Promise<string[]> {
  const answers = await Promise.all(
    servers.map(async (s) => {
      const r = await ask(ctx, { host: s.host, address: s.address as string, port: s.port as number, family: (s.address as string).includes(':') ? 6 : 4 }, zone, 'NS');
      return r.ok && r.aa ? r.answers.filter((a) => a.type === 'NS' && sameName(a.name, zone)).map((a) => a.value) : [];
    }),
  );
  return norm(answers.flat());
}

/**
 * Problems and steps for the servers that fail. The provider's own servers load a new or changed
 * zone some time after the API change: during that delay they are waited for, never removed.
 */
export function serverAdvice(zone: string, servers: DelegationServer[], expected: string[]): { problems: string[]; steps: string[]; lame: string[]; notLoaded: string[] } {
  // Any address that fails counts: resolvers pick addresses at random, so one bad one hurts.
  const failing = servers.filter((s) => s.status !== 'ok');
  const provider = (s: DelegationServer) => expected.includes(canonicalName(s.host));
  const hostsOf = (list: DelegationServer[]) => [...new Set(list.map((s) => s.host))];
  const lame = hostsOf(failing.filter((s) => !provider(s)));
  const notLoaded = hostsOf(failing.filter((s) => provider(s) && s.status === 'lame'));
  const silent = hostsOf(failing.filter((s) => provider(s) && s.status !== 'lame')).filter((h) => !notLoaded.includes(h));
  const problems = failing.map((s) => {
    const who = `${s.host}${s.address ? ` (${s.address}:${s.port})` : ''}`;
    if (!provider(s)) return `${who} is ${s.status}: ${s.detail}`;
    return `${who}, the provider's nameserver, ${s.status === 'lame' ? `has not loaded ${zone} yet` : `is ${s.status}`}: ${s.detail}`;
  });
  const them = (hosts: string[]) => `${hosts.length > 1 ? 'nameservers' : 'nameserver'} ${hosts.join(', ')} ${hosts.length > 1 ? 'have' : 'has'}`;
  const steps: string[] = [];
  if (notLoaded.length) steps.push(`The provider's ${them(notLoaded)} not loaded ${zone} yet (the provider publishes a new or changed zone to each server within minutes); nothing to change at the registrar for ${notLoaded.length > 1 ? 'them' : 'it'}. Run check_delegation again in a few minutes, or check_propagation with zone and wait_seconds to wait until every server serves it.`);
  if (silent.length) steps.push(`The provider's ${them(silent)} not answered from here: try again in a few minutes; if it persists, check this machine's DNS and network access (or VPSORG_NAMESERVERS).`);
  if (lame.length) steps.push(`Remove ${lame.join(', ')} from the registrar's list (and the zone's apex NS records): ${lame.length > 1 ? 'they do' : 'it does'} not serve ${zone}.`);
  return { problems, steps, lame, notLoaded };
}
