/**
 * A fixture internet for the live audit (issue 25): zones created in the sandbox's emulator,
 * served by its nameservers under its stand-in root, which also plays the registries (a DS for
 * the unsigned `audited.com`). `audited.com` holds one of each thing the audit must find, and
 * one of each thing it must not flag.
 */
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { createLiveResolver, type LiveResolverOptions } from '../../src/dns/live-resolver.js';
import { givenAddresses, parseNameservers } from '../../src/dns/nameservers.js';

export const AUDITED = 'audited.com';
/** A DS as a registry would hold it after an earlier, signed provider (SHA-256 digest). */
export const STALE_DS = '31589 13 2 3490A6806D47F17A34C29E2CE80E8A999FFBE4BE3490A6806D47F17A34C29E';

const cname = (name: string, value: string) => ({ record_type: 'CNAME', name, value, ttl: 300 });
const ns = (name: string, value: string) => ({ record_type: 'NS', name, value, ttl: 300 });
const a = (name: string, value: string) => ({ record_type: 'A', name, value, ttl: 300 });

export async function startFixtureInternet(): Promise<Sandbox> {
  const sb = await startSandbox({ publishDelayMs: [0, 0], registryRecords: [{ record_type: 'DS', name: `${AUDITED}.`, value: STALE_DS, ttl: 86400 }] });
  const store = sb.emu.store;
  // Hosting providers and partners: names that exist, and the names the audited zone points at that do not.
  store.addZone('azurewebsites.net', [a('live-app', '192.0.2.20')]);
  store.addZone('partner.net', [a('mail', '192.0.2.30'), a('www', '192.0.2.31')]);
  store.addZone(AUDITED, [
    a('@', '192.0.2.1'),
    cname('www', 'live-app.azurewebsites.net.'), // live: no finding
    cname('portal', 'www.partner.net.'), // live, not hosting: no finding
    cname('old', 'gone-app.azurewebsites.net.'), // NXDOMAIN under a hosting suffix: takeover
    cname('docs', 'missing.partner.net.'), // NXDOMAIN, registrable domain exists: dangling
    cname('shop', 'shop.expired-vendor.com.'), // registrable domain does not exist: anyone can register it
    { record_type: 'MX', name: '@', value: 'mail.partner.net.', ttl: 300, priority: 10 },
    { record_type: 'MX', name: '@', value: 'mx.expired-vendor.com.', ttl: 300, priority: 20 },
    { record_type: 'SRV', name: '_sip._tcp', value: '5 5060 sip.gone-voip.net.', ttl: 300, priority: 10 },
    ns('lame', 'ns1.vps.org.'), // no server serves lame.audited.com: lame
    ns('lame', 'ns2.vps.org.'),
    ns('good', 'ns1.vps.org.'), // served: no finding
    ns('good', 'ns2.vps.org.'),
    ns('sub', 'ns1.vps.org.'), // served, but the glue for ns.sub differs from the child's address
    ns('sub', 'ns.sub.audited.com.'),
    a('ns.sub', '127.0.0.1'),
    ns('quiet', 'ns.quiet.audited.com.'), // its one server never answers (TEST-NET glue): not checked, never "remove it"
    a('ns.quiet', '192.0.2.53'),
  ]);
  store.addZone(`good.${AUDITED}`, [a('@', '192.0.2.40')]);
  store.addZone(`sub.${AUDITED}`, [ns('@', 'ns1.vps.org.'), ns('@', 'ns.sub.audited.com.'), a('ns', '127.0.0.2'), a('@', '192.0.2.50')]);
  return sb;
}

/** The hosts map of a fixture internet: the sandbox's nameservers, and ns.sub.audited.com on ns1's port. */
export function fixtureHosts(sb: Sandbox) {
  const hosts = parseNameservers(sb.env.VPSORG_NAMESERVERS);
  const ns1 = hosts.find((h) => h.host === 'ns1.vps.org');
  return [...hosts, { host: `ns.sub.${AUDITED}`, address: ns1?.address ?? '127.0.0.1', port: ns1?.port ?? 53 }];
}

/** The settings that point a server (or the CLI) at the fixture internet. */
export function fixtureEnv(sb: Sandbox): Record<string, string> {
  const pinned = fixtureHosts(sb).map((h) => `${h.host}=${h.address ?? '127.0.0.1'}:${h.port}`);
  return { ...sb.env, VPSORG_NAMESERVERS: pinned.join(',') };
}

export function fixtureResolver(sb: Sandbox, opts: Partial<LiveResolverOptions> = {}) {
  // mayAsk as the sandbox's settings say (VPSORG_ALLOW_PRIVATE_NAMESERVERS): everything lives on loopback.
  return createLiveResolver({ roots: givenAddresses(parseNameservers(sb.env.VPSORG_DNS_ROOTS)), hosts: fixtureHosts(sb), timeoutMs: 1000, mayAsk: () => true, ...opts });
}
