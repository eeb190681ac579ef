/**
 * Issue 17 point 5: a plan that validates must apply. The record validator (src/domain) and the
 * emulator's model of the provider (src/emulator) follow the same record rules (README, "Record
 * rules"): whatever the validator accepts the emulator stores, and whatever the emulator refuses
 * the validator refuses first, on the same field.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateRecord } from '../../src/domain/validate.js';
import { recordFromInput, toRecordInput, type RecordInputLike } from '../../src/domain/model.js';
import { validateRecord as providerValidate } from '../../src/emulator/validate.js';
import { ApiError } from '../../src/emulator/api-error.js';

const Z = 'example.com';

/** The field the emulated provider refuses the body on, or null when it stores it. */
function providerRefusal(input: RecordInputLike): string | null {
  try {
    providerValidate(toRecordInput(recordFromInput(input, Z), Z) as unknown as Record<string, unknown>, Z);
    return null;
  } catch (err) {
    if (err instanceof ApiError) return err.field ?? 'record';
    throw err;
  }
}

const piece = fc.constantFrom('www', 'mail', '_dmarc', 'a-b', 'x_y', 'localhost', 'example', 'com', 'net', '*', '-bad', 'UP', 'é', '');
const host = fc.tuple(fc.array(piece, { minLength: 0, maxLength: 3 }), fc.constantFrom('', '.', '.example.net', '.example.net.', '.example.com.')).map(([ls, end]) => `${ls.join('.')}${end}`);
const text = fc.string({ unit: fc.constantFrom('a', ' ', '"', '\\', ';', '\n', '\t', '\u007f', 'é', '😀', '=', '1'), maxLength: 30 });
const value = fc.oneof(
  host,
  text,
  fc.constantFrom('.', '192.0.2.1', '010.0.0.1', '2001:db8::1', 'fe80::1%eth0', ''),
  fc.tuple(fc.constantFrom('0', '128', '256'), fc.constantFrom('issue', 'Issue', 'IODEF', 'iodef', 'issuewild', 'x'), fc.oneof(host, text, fc.constant('mailto:a@example.com'))).map(([f, t, v]) => `${f} ${t} "${v.replace(/["\\]/g, (c) => `\\${c}`)}"`),
  fc.tuple(fc.constantFrom('0', '5', '70000'), fc.constantFrom('5060', 'x'), host).map(([w, p, t]) => `${w} ${p} ${t}`),
);
const input: fc.Arbitrary<RecordInputLike> = fc.record({
  name: fc.oneof(host, fc.constantFrom('@', 'www', 'example.com', 'www.example.com')),
  record_type: fc.constantFrom('A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SRV', 'CAA'),
  value,
  ttl: fc.constantFrom(30, 60, 3600, 604800, 604801),
  priority: fc.constantFrom(0, 10, 65535, 65536, null),
});

describe('record rules: the validator and the emulated provider agree', () => {
  it('every record the validator accepts, the provider stores; every refusal of the provider is the validator’s too, on the same field', () => {
    fc.assert(
      fc.property(input, (r) => {
        const problems = validateRecord(r, Z);
        const refused = providerRefusal(r);
        if (problems.length === 0) expect(refused, JSON.stringify(r)).toBeNull();
        if (refused !== null) expect(problems.map((p) => p.field), JSON.stringify(r)).toContain(refused);
      }),
      { numRuns: 3000 },
    );
  });

  it.each<[string, RecordInputLike, string]>([
    ['null MX', { name: '@', record_type: 'MX', value: '.', priority: 0 }, 'hostname'],
    ['TXT with a control byte', { name: 't', record_type: 'TXT', value: 'a\u0001b' }, 'txt_control'],
    ['_ in an MX target', { name: '@', record_type: 'MX', value: 'mx_1.example.net.', priority: 10 }, 'hostname'],
    ['_ in an NS target', { name: 'sub', record_type: 'NS', value: 'ns_1.example.net.' }, 'hostname'],
    ['_ in an SRV target', { name: '_sip._tcp', record_type: 'SRV', value: '5 5060 _sip.example.net.', priority: 1 }, 'hostname'],
    ['a single-label CNAME target', { name: 'c', record_type: 'CNAME', value: 'name.' }, 'target_single_label'],
    ['NS localhost.', { name: 'sub', record_type: 'NS', value: 'localhost.' }, 'target_single_label'],
    ['a quote in a CAA value', { name: '@', record_type: 'CAA', value: '0 issue "ca.example; k=\\"v\\""' }, 'caa_value_chars'],
  ])('%s: refused by the validator (plan, import) and by the provider', (_what, r, rule) => {
    expect(validateRecord(r, Z).map((p) => p.rule)).toContain(rule);
    expect(providerRefusal(r)).toBe('value');
  });

  it('an underscore stays allowed in a CNAME target (DKIM delegations), and CAA tags match in any case', () => {
    for (const r of [{ name: 's1._domainkey', record_type: 'CNAME', value: 's1.domainkey.u1.wl.sendgrid.net.' }, { name: 'x', record_type: 'CNAME', value: 's1._domainkey.example.net.' }, { name: '@', record_type: 'CAA', value: '0 Issue "letsencrypt.org"' }]) {
      expect(validateRecord(r, Z)).toEqual([]);
      expect(providerRefusal(r)).toBeNull();
    }
  });
});
