import { describe, expect, it } from 'vitest';
import { DEFAULT_NAMESERVERS, parseNameservers, resolveNameservers, withApexNameservers } from '../../src/dns/nameservers.js';
import { UserError } from '../../src/errors.js';

describe('parseNameservers', () => {
  it('reads every documented item form, defaulting the port to 53', () => {
    expect(parseNameservers('ns1.Example.com, ns2.example.com:5353 ,192.0.2.1, 192.0.2.2:54, [2001:db8::1]:55, ::1, ns3.example.com=127.0.0.1:5300, ns4.example.com=127.0.0.2, ns5.example.com=[::1]:56')).toEqual([
      { host: 'ns1.example.com', port: 53 },
      { host: 'ns2.example.com', port: 5353 },
      { host: '192.0.2.1', address: '192.0.2.1', port: 53 },
      { host: '192.0.2.2', address: '192.0.2.2', port: 54 },
      { host: '2001:db8::1', address: '2001:db8::1', port: 55 },
      { host: '::1', address: '::1', port: 53 },
      { host: 'ns3.example.com', address: '127.0.0.1', port: 5300 },
      { host: 'ns4.example.com', address: '127.0.0.2', port: 53 },
      { host: 'ns5.example.com', address: '::1', port: 56 },
    ]);
  });

  it.each([
    ['ns1.example.com:0', /item 1 "ns1.example.com:0": port "0"/],
    ['ns1.example.com, ns2.example.com:http', /item 2 .*port "http"/],
    ['ns1.example.com=not-an-ip:53', /"not-an-ip" after "=" is not an IPv4 or IPv6 address/],
    ['=127.0.0.1', /host name is empty/],
    ['bad host', /characters a host name cannot have/],
    [`${'a'.repeat(64)}.example.com`, /longer than 63/],
    [' , ', /list is empty/],
  ])('rejects %j with a message naming the item', (text, message) => {
    expect(() => parseNameservers(text)).toThrow(message);
    try {
      parseNameservers(text);
    } catch (err) {
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).field).toBe('nameservers');
    }
  });

  it('defaults to the provider nameservers', () => {
    expect(DEFAULT_NAMESERVERS.map((n) => `${n.host}:${n.port}`)).toEqual(['ns1.vps.org:53', 'ns2.vps.org:53']);
  });
});

describe('withApexNameservers', () => {
  it('adds apex NS hosts the list does not already name', () => {
    const specs = parseNameservers('ns1.vps.org=127.0.0.1:5300');
    expect(withApexNameservers(specs, ['NS1.vps.org.', 'ns.other.net.', 'ns.other.net'])).toEqual([
      { host: 'ns1.vps.org', address: '127.0.0.1', port: 5300 },
      { host: 'ns.other.net', port: 53 },
    ]);
  });
});

describe('resolveNameservers', () => {
  it('resolves each host to every address and checks each address on its own', async () => {
    const lookup = async (host: string) => {
      if (host === 'ns1.example.com') return [{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }];
      if (host === 'empty.example.com') return [];
      throw new Error('ENOTFOUND');
    };
    const specs = parseNameservers('ns1.example.com:5300, 127.0.0.1:5300, gone.example.com, empty.example.com, x.example.com=127.0.0.3');
    const { addresses, errors } = await resolveNameservers(specs, { lookup });
    expect(addresses).toEqual([
      { host: 'ns1.example.com', address: '127.0.0.1', port: 5300, family: 4 },
      { host: 'ns1.example.com', address: '::1', port: 5300, family: 6 },
      { host: 'x.example.com', address: '127.0.0.3', port: 53, family: 4 },
    ]);
    expect(errors).toEqual([
      { host: 'gone.example.com', error: 'cannot resolve gone.example.com: ENOTFOUND' },
      { host: 'empty.example.com', error: 'the name has no IPv4 or IPv6 address' },
    ]);
  });

  it('bounds a lookup that never returns', async () => {
    const { addresses, errors } = await resolveNameservers([{ host: 'slow.example.com', port: 53 }], { lookup: () => new Promise(() => undefined), timeoutMs: 20 });
    expect(addresses).toEqual([]);
    expect(errors[0]?.error).toMatch(/longer than 20 ms/);
  });
});
