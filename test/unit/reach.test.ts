/**
 * isPublicUnicast (safety/reach.ts) decides which addresses the model, zone data and delegations
 * may make this server send packets to. An IPv6 address can carry an IPv4 address inside it
 * (mapped, compatible, SIIT, NAT64, 6to4, Teredo): each such range is refused whatever it carries,
 * so a private IPv4 address cannot be reached through its IPv6 spelling.
 */
import { describe, expect, it } from 'vitest';
import { parseNameservers } from '../../src/dns/nameservers.js';
import { checkModelNameservers, isPublicUnicast, zoneHostAllowed } from '../../src/safety/reach.js';

describe('isPublicUnicast', () => {
  it('accepts public unicast addresses of both families', () => {
    for (const a of ['8.8.8.8', '1.1.1.1', '193.0.14.129', '2606:4700:4700::1111', '2001:4860:4860::8888', '2a00:1450:4001:80b::200e']) expect(isPublicUnicast(a), a).toBe(true);
  });

  it('refuses what is not an address at all (no name, no shorthand IPv4)', () => {
    for (const a of ['', 'localhost', '127.1', '0x7f.0.0.1', '2130706433', '::g', '1.2.3.4.5']) expect(isPublicUnicast(a), a).toBe(false);
  });

  it('refuses loopback, private, link-local, CGNAT, metadata, documentation, multicast and reserved IPv4', () => {
    for (const a of ['127.0.0.1', '127.255.0.2', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '192.0.0.170', '192.0.2.1', '198.18.0.1', '198.51.100.1', '203.0.113.1', '224.0.0.251', '240.0.0.1', '255.255.255.255']) {
      expect(isPublicUnicast(a), a).toBe(false);
    }
  });

  it('refuses loopback, unspecified, ULA, link-local, site-local, documentation and multicast IPv6, in every spelling', () => {
    for (const a of ['::1', '0:0:0:0:0:0:0:1', '::', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'FE80::1', 'fe80::1%lo', 'fe80::1%eth0', 'fec0::1', '2001:db8::1', 'ff02::1', '100::1']) {
      expect(isPublicUnicast(a), a).toBe(false);
    }
  });

  it('refuses IPv4-mapped addresses (::ffff:0:0/96), dotted or hex, whatever they carry', () => {
    for (const a of ['::ffff:127.0.0.1', '::ffff:7f00:1', '0:0:0:0:0:ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:169.254.169.254', '::ffff:8.8.8.8']) expect(isPublicUnicast(a), a).toBe(false);
  });

  it('refuses IPv4-compatible addresses (::/96, deprecated by RFC 4291)', () => {
    for (const a of ['::127.0.0.1', '::7f00:1', '::10.0.0.1', '::169.254.169.254', '::8.8.8.8']) expect(isPublicUnicast(a), a).toBe(false);
  });

  it('refuses SIIT IPv4-translated addresses (::ffff:0:0:0/96, RFC 6145)', () => {
    for (const a of ['::ffff:0:127.0.0.1', '::ffff:0:7f00:1', '0:0:0:0:ffff:0:a00:1', '::ffff:0:8.8.8.8']) expect(isPublicUnicast(a), a).toBe(false);
  });

  it('refuses NAT64 addresses (64:ff9b::/96 and the local-use 64:ff9b:1::/48, RFC 6052 and 8215)', () => {
    for (const a of ['64:ff9b::127.0.0.1', '64:ff9b::a00:1', '64:ff9b::8.8.8.8', '64:ff9b:1::10.0.0.1', '64:ff9b:1:ffff::1']) expect(isPublicUnicast(a), a).toBe(false);
  });

  it('refuses 6to4 (2002::/16) and Teredo (2001::/32) addresses, which route to an IPv4 address they carry', () => {
    for (const a of ['2002:7f00:1::1', '2002:a00:1::1', '2002:a9fe:a9fe::1', '2002:808:808::1', '2001:0:4136:e378:8000:63bf:3fff:fdd2', '2001::1']) expect(isPublicUnicast(a), a).toBe(false);
  });
});

describe('the reach rules built on it', () => {
  const strict = { nameservers: undefined, allowPrivateNameservers: false };

  it('lets the model name public nameservers of both families on port 53, and refuses an IPv4 address in IPv6 spelling', () => {
    expect(() => checkModelNameservers(parseNameservers('9.9.9.9,[2620:fe::fe],dns.example'), strict)).not.toThrow();
    expect(() => checkModelNameservers(parseNameservers('[::ffff:127.0.0.1]'), strict)).toThrow(/::ffff:127\.0\.0\.1 is not a public unicast address/);
  });

  it('lets a walk ask public servers found in delegations (the TLD servers a root refers to), not private ones', () => {
    const mayAsk = zoneHostAllowed(strict);
    expect(['192.5.6.30', '2001:503:a83e::2:30'].map((address) => mayAsk({ address, port: 53 }))).toEqual([true, true]);
    expect(['127.0.0.2', '::127.0.0.2', '::ffff:0:a00:1'].map((address) => mayAsk({ address, port: 53 }))).toEqual([false, false, false]);
  });
});
