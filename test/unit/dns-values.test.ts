import { describe, expect, it } from 'vitest';
import { ownerName } from '../../src/dns/names.js';
import { canonicalValue, expectedFromRecords, wireValue } from '../../src/dns/values.js';

const Z = 'example.com';

describe('canonical values: the API side and the wire side meet', () => {
  it.each([
    ['A', '192.0.2.1', null, '192.0.2.1', '192.0.2.1'],
    ['AAAA', '2001:0DB8::1', null, '2001:db8:0:0:0:0:0:1', '2001:db8::1'],
    ['CNAME', 'Target.example.net', null, 'target.example.net', 'target.example.net.'],
    ['NS', 'ns1.vps.org.', null, 'NS1.VPS.ORG', 'ns1.vps.org.'],
  ])('%s %s', (type, api, prio, wire, canonical) => {
    expect(canonicalValue(type, api, prio, Z)).toBe(canonical);
    expect(wireValue(type, wire)).toBe(canonical);
  });

  it('folds the API priority into MX and SRV values and accepts it inline', () => {
    expect(canonicalValue('MX', 'mail.example.com', 10, Z)).toBe('10 mail.example.com.');
    expect(canonicalValue('MX', '10 mail.example.com', null, Z)).toBe('10 mail.example.com.');
    expect(wireValue('MX', { preference: 10, exchange: 'MAIL.example.com' })).toBe('10 mail.example.com.');
    expect(canonicalValue('SRV', '5 5060 sip.example.com', 1, Z)).toBe('1 5 5060 sip.example.com.');
    expect(canonicalValue('SRV', '1 5 5060 sip.example.com', null, Z)).toBe('1 5 5060 sip.example.com.');
    expect(wireValue('SRV', { priority: 1, weight: 5, port: 5060, target: 'sip.example.com' })).toBe('1 5 5060 sip.example.com.');
  });

  it('joins TXT chunks, keeps quotes and odd bytes, and reads CAA like the record model', () => {
    const long = 'k='.padEnd(400, 'x');
    expect(wireValue('TXT', [Buffer.from(long.slice(0, 255)), Buffer.from(long.slice(255))])).toBe(canonicalValue('TXT', long, null, Z));
    expect(wireValue('TXT', [Buffer.from('say "hi" \\ ok')])).toBe('say "hi" \\ ok');
    expect(wireValue('TXT', [Buffer.from([0xff, 0x41])])).not.toBe(canonicalValue('TXT', 'A', null, Z));
    expect(canonicalValue('CAA', '0 ISSUE "letsencrypt.org"', null, Z)).toBe(wireValue('CAA', { flags: 0, tag: 'issue', value: 'letsencrypt.org' }));
  });

  it('builds expected values from API records', () => {
    expect(expectedFromRecords([{ record_type: 'MX', value: 'mx.example.com', priority: 5 }, { record_type: 'CNAME', value: '@' }], Z)).toEqual(['5 mx.example.com.', 'example.com.']);
  });

  it('reads owner names as the record model does', () => {
    expect(ownerName(Z, '@')).toBe('example.com');
    expect(ownerName(Z, 'WWW')).toBe('www.example.com');
    expect(ownerName(Z, 'www.example.com')).toBe('www.example.com');
    expect(ownerName(Z, 'www.example.com.')).toBe('www.example.com');
    expect(ownerName(Z, 'a.b')).toBe('a.b.example.com');
  });
});
