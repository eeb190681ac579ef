import { describe, expect, it } from 'vitest';
import { normaliseName, fqdn, normaliseValue, normaliseRecord, toApiValue, recordKey, isInZone, DEFAULT_TTL, toCurrentRecord, toRecordInput, readingNotes, recordFromInput } from '../../src/domain/model.js';
import { comparableValue, inputValue } from '../../src/domain/values.js';
import { canonicalIPv6, isStrictIPv4 } from '../../src/domain/ip.js';
import { escapeForDisplay } from '../../src/domain/display.js';
import { chunkText, parseQuotedSequence } from '../../src/domain/charstring.js';

const Z = 'example.com';

describe('names', () => {
  it.each([
    ['@', '@'], ['', '@'], ['example.com', '@'], ['Example.COM.', '@'],
    ['www', 'www'], ['WWW', 'www'], ['www.example.com', 'www'], ['WWW.Example.com.', 'www'],
    ['a.b', 'a.b'], ['_dmarc', '_dmarc'], ['*.dev.example.com.', '*.dev'], [' mail ', 'mail'],
  ])('normaliseName(%j) -> %j', (input, want) => {
    expect(normaliseName(input, Z)).toBe(want);
    expect(normaliseName(input, 'EXAMPLE.com.')).toBe(want);
  });

  it('keeps a name outside the zone absolute, for validation to report', () => {
    expect(normaliseName('www.other.org.', Z)).toBe('www.other.org.');
    expect(isInZone('www.other.org.', Z)).toBe(false);
    expect(isInZone('www', Z)).toBe(true);
  });

  it('does not read a lookalike suffix as the zone', () => {
    expect(normaliseName('notexample.com.', Z)).toBe('notexample.com.');
    expect(isInZone('notexample.com.', Z)).toBe(false);
  });

  it('keeps a relative part that itself ends with the zone absolute, so normalising is stable', () => {
    const once = normaliseName('www.example.com.example.com', Z);
    expect(once).toBe('www.example.com.example.com.');
    expect(normaliseName(once, Z)).toBe(once);
    expect(isInZone(once, Z)).toBe(true);
  });

  it('fqdn', () => {
    expect(fqdn('www', Z)).toBe('www.example.com.');
    expect(fqdn('@', 'Example.com.')).toBe('example.com.');
    expect(fqdn('x.other.org.', Z)).toBe('x.other.org.');
  });
});

describe('IP addresses', () => {
  it.each([
    ['2001:0db8::1', '2001:db8::1'],
    ['2001:DB8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // first of two equal runs
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'], // the longest run
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero group is not compressed
    ['::', '::'], ['::1', '::1'], ['1::', '1::'],
    ['::FFFF:c000:0201', '::ffff:192.0.2.1'], ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
  ])('canonicalIPv6(%j) -> %j (RFC 5952)', (input, want) => {
    expect(canonicalIPv6(input)).toBe(want);
  });

  it.each(['fe80::1%eth0', '1:2:3', '2001:db8::1::2', 'g::1', '192.0.2.1', ''])('canonicalIPv6 refuses %j', (input) => {
    expect(canonicalIPv6(input)).toBeNull();
  });

  it('IPv4 is a strict dotted quad', () => {
    expect(isStrictIPv4('192.0.2.1')).toBe(true);
    expect(isStrictIPv4('0.0.0.0')).toBe(true);
    for (const bad of ['192.0.2.01', '256.1.1.1', '1.2.3', '1.2.3.4.5', ' 1.2.3.4', '1.2.3.4 ', '0x1.2.3.4']) expect(isStrictIPv4(bad)).toBe(false);
  });
});

describe('normaliseValue', () => {
  it('reads targets as absolute lowercase hostnames', () => {
    expect(normaliseValue('CNAME', 'Target.Example.COM', Z)).toEqual({ value: 'target.example.com.', notes: [] });
    expect(normaliseValue('NS', 'ns1.example.net.', Z)).toEqual({ value: 'ns1.example.net.', notes: [] });
    expect(normaliseValue('CNAME', '@', Z).value).toBe('example.com.');
    expect(normaliseValue('MX', 'aspmx.l.google.com', Z)).toEqual({ value: 'aspmx.l.google.com.', notes: [] });
  });

  it('says which reading it took for a target that may have been meant inside the zone', () => {
    const truncated = normaliseValue('MX', 'mail.example', Z);
    expect(truncated.value).toBe('mail.example.');
    expect(truncated.notes).toEqual(['target "mail.example" read as mail.example. (absolute); write mail.example.example.com if you meant the name inside the zone']);
    const twoLabels = normaliseValue('CNAME', 'foo.bar', Z);
    expect(twoLabels.value).toBe('foo.bar.');
    expect(twoLabels.notes[0]).toContain('read as foo.bar. (absolute)');
    expect(normaliseValue('MX', 'mail.example.co', 'example.co.uk').notes).toHaveLength(1);
  });

  it('readingNotes gives the notes of a whole input', () => {
    expect(readingNotes({ name: '@', record_type: 'mx', value: 'mail.example', priority: 10 }, Z)).toHaveLength(1);
    expect(readingNotes({ name: '@', record_type: 'MX', value: 'mail.example.com', priority: 10 }, Z)).toEqual([]);
    expect(readingNotes({ name: '@', record_type: 'PTR', value: 'x' }, Z)).toEqual([]);
  });

  it('reads a target without a dot as relative to the zone, with a note', () => {
    const r = normaliseValue('CNAME', 'mail', Z);
    expect(r.value).toBe('mail.example.com.');
    expect(r.notes[0]).toContain('read as mail.example.com. (inside the zone)');
  });

  it('normalises SRV, CAA, AAAA and TXT', () => {
    expect(normaliseValue('SRV', ' 05  5060 SIP.example.com ', Z).value).toBe('5 5060 sip.example.com.');
    // Issue 17.6: the CAA tag is kept as written, and compared in any case.
    expect(normaliseValue('CAA', '0 ISSUE letsencrypt.org', Z).value).toBe('0 ISSUE "letsencrypt.org"');
    expect(comparableValue('CAA', normaliseValue('CAA', '0 ISSUE letsencrypt.org', Z).value)).toBe(comparableValue('CAA', '0 issue "letsencrypt.org"'));
    expect(recordKey({ name: '@', record_type: 'CAA', value: '0 IssueWild "ca.test"', ttl: 60, priority: null })).toBe(recordKey({ name: '@', record_type: 'CAA', value: '0 issuewild "ca.test"', ttl: 300, priority: null }));
    expect(normaliseValue('CAA', '128 issuewild "a\\"b"', Z).value).toBe('128 issuewild "a\\"b"');
    expect(normaliseValue('AAAA', '2001:0DB8:0000::0001', Z).value).toBe('2001:db8::1');
    expect(normaliseValue('TXT', 'v=spf1 -all', Z).value).toBe('v=spf1 -all');
    // A tool's input may use zone-file quoting, read once; the model's (and the API's) value is the text itself.
    expect(inputValue('TXT', '"v=spf1 " "-all"').value).toBe('v=spf1 -all');
    expect(inputValue('TXT', '"caf\\195\\169 \\"q\\""').value).toBe('café "q"');
    expect(normaliseValue('TXT', '"v=spf1 " "-all"', Z).value).toBe('"v=spf1 " "-all"');
    expect(normaliseValue('TXT', '"hello"', Z).value).toBe('"hello"');
  });

  it('accepts TXT as 255-byte chunks and as one long string alike', () => {
    const long = 'p='.padEnd(600, 'A');
    const chunked = chunkText(long).join(' ');
    expect(chunkText(long)).toHaveLength(3);
    expect(inputValue('TXT', chunked).value).toBe(long);
    expect(normaliseValue('TXT', long, Z).value).toBe(long);
  });

  it('chunks TXT at 255 bytes without splitting a UTF-8 character', () => {
    const text = 'a'.repeat(254) + 'é' + 'b';
    const chunks = chunkText(text);
    expect(chunks[0]).toBe(`"${'a'.repeat(254)}"`);
    expect(chunks[1]).toBe('"\\195\\169b"');
    expect(parseQuotedSequence(chunks.join(' '))).toBe(text);
  });

  it('leaves unparseable values alone for validation to report', () => {
    expect(normaliseValue('A', ' 1.2.3 ', Z).value).toBe('1.2.3');
    expect(normaliseValue('SRV', '10 sip.example.com', Z).value).toBe('10 sip.example.com');
    expect(normaliseValue('CAA', 'issue letsencrypt.org', Z).value).toBe('issue letsencrypt.org');
  });
});

describe('records', () => {
  it('normaliseRecord defaults ttl and drops priority of types without one', () => {
    expect(normaliseRecord({ name: 'WWW.example.com.', record_type: 'a', value: '192.0.2.1', priority: 5 }, Z)).toEqual({
      name: 'www', record_type: 'A', value: '192.0.2.1', ttl: DEFAULT_TTL, priority: null,
    });
    expect(normaliseRecord({ name: '@', record_type: 'MX', value: 'mail.example.com', ttl: 300, priority: 10 }, Z)).toEqual({
      name: '@', record_type: 'MX', value: 'mail.example.com.', ttl: 300, priority: 10,
    });
  });

  it('toApiValue writes what the provider expects', () => {
    const api = (record_type: string, value: string, priority: number | null = null) => toApiValue(normaliseRecord({ name: '@', record_type, value, priority }, Z), Z);
    expect(api('MX', 'Mail.example.com.', 10)).toBe('mail.example.com');
    expect(api('CNAME', 'mail')).toBe('mail.example.com');
    expect(api('SRV', '5 5060 sip.example.com.', 10)).toBe('5 5060 sip.example.com');
    expect(api('TXT', '"a" "b"')).toBe('"a" "b"');
    expect(toApiValue(recordFromInput({ name: '@', record_type: 'TXT', value: '"a" "b"' }, Z), Z)).toBe('ab');
    expect(api('CAA', '0 issue letsencrypt.org')).toBe('0 issue "letsencrypt.org"');
    expect(api('MX', '.', 0)).toBe('.');
  });

  it('recordKey includes priority only for MX and SRV', () => {
    const mx = normaliseRecord({ name: '@', record_type: 'MX', value: 'mail.example.com', priority: 10 }, Z);
    expect(recordKey(mx)).toBe('@|MX|mail.example.com.|10');
    expect(recordKey({ ...mx, priority: 20 })).not.toBe(recordKey(mx));
    expect(recordKey({ ...mx, ttl: 60 })).toBe(recordKey(mx));
    expect(recordKey(normaliseRecord({ name: 'www', record_type: 'A', value: '192.0.2.1' }, Z))).toBe('www|A|192.0.2.1');
  });
});

describe('API conversions', () => {
  it('toCurrentRecord normalises what the provider returns', () => {
    expect(toCurrentRecord({ uuid: 'r1', record_type: 'MX', name: 'example.com', value: 'Mail.example.com', ttl: 3600, priority: 10 }, Z)).toEqual({
      uuid: 'r1', name: '@', record_type: 'MX', value: 'mail.example.com.', ttl: 3600, priority: 10,
    });
    expect(toCurrentRecord({ uuid: 'r2', record_type: 'A', name: 'www', value: '192.0.2.1', ttl: 300, priority: 0 }, Z).priority).toBeNull();
  });

  it('toRecordInput writes the provider body, priority only for MX/SRV', () => {
    expect(toRecordInput(normaliseRecord({ name: 'www', record_type: 'CNAME', value: 'x.example.net.' }, Z), Z)).toEqual({ record_type: 'CNAME', name: 'www', value: 'x.example.net', ttl: 3600 });
    expect(toRecordInput(normaliseRecord({ name: '_s._tcp', record_type: 'SRV', value: '1 2 t.example.com.', ttl: 60, priority: 5 }, Z), Z)).toEqual({
      record_type: 'SRV', name: '_s._tcp', value: '1 2 t.example.com', ttl: 60, priority: 5,
    });
  });
});

describe('escapeForDisplay', () => {
  it('makes control, bidi and zero-width characters visible', () => {
    expect(escapeForDisplay('a\nb\tc\u0007')).toBe('a\\nb\\tc\\u{7}');
    expect(escapeForDisplay('v=spf1 \u202e-all')).toBe('v=spf1 \\u{202e}-all');
    expect(escapeForDisplay('x\u200by\ufeff\u2066')).toBe('x\\u{200b}y\\u{feff}\\u{2066}');
    expect(escapeForDisplay('café 😀 ok')).toBe('café 😀 ok');
  });
});

describe('types outside the documented eight', () => {
  it('normalise without throwing, so a record the API grows (e.g. PTR) never crashes a tool', () => {
    const r = normaliseRecord({ name: 'x', record_type: 'PTR', value: ' host.example.com. ', ttl: 300 }, 'example.com');
    expect(r).toMatchObject({ name: 'x', record_type: 'PTR', value: 'host.example.com.' });
  });
});

describe('escapeForDisplay hides nothing', () => {
  it('makes tag characters, variation selectors and blank fillers visible', () => {
    const hidden = ['\u{E0041}', '\u{E007F}', '\uFE0F', '\u{E0100}', '\u180E', '\u3164', '\uFFA0', '\u115F'];
    for (const ch of hidden) expect(escapeForDisplay(`a${ch}b`)).toMatch(/^a\\u\{[0-9a-f]+\}b$/);
  });
});
