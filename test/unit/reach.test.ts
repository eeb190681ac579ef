/**
 * isPublicUnicast (safety/reach.ts) decides which addresses the model, zone data and delegations
 * may make this server send packets to.
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

  it('refuses IPv4-mapped addresses (::ffff:0:0/96), dotted or hex, whatever they carry', () => {
    for (const a of ['::ffff:127.0.0.1', '::ffff:7f00:1', '0:0:0:0:0:ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:169.254.169.254', '::ffff:8.8.8.8']) expect(isPublicUnicast(a), a).toBe(false);
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
    expect(['127.0.0.2', '::ffff:127.0.0.2'].map((address) => mayAsk({ address, port: 53 }))).toEqual([false, false]);
  });
});
