import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summariseBody } from '../../src/api/body.js';
import { path } from '../../src/api/path.js';
import { normaliseName, normaliseValue, patchApplied, sameRecord } from '../../src/api/reconcile.js';
import { problemsFrom } from '../../src/api/responses.js';
import { backoffMs, parseRetryAfter, waitMs } from '../../src/api/retry.js';
import { UserError } from '../../src/errors.js';

// The pure pieces of the client: Retry-After, backoff, body summaries, error bodies, matching, paths.
describe('Retry-After and backoff', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it('reads delay-seconds and HTTP-dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('caps Retry-After and falls back to jittered exponential backoff', () => {
    expect(waitMs(1, 250, 3_600_000, 30_000)).toBe(30_000);
    expect(waitMs(1, 250, 2_000, 30_000)).toBe(2_000);
    fc.assert(fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 1000 }), (attempt, base) => {
      const ms = backoffMs(attempt, base);
      const ceiling = Math.min(base * 2 ** (attempt - 1), Math.max(base, 8000));
      return ms <= ceiling && ms >= Math.floor(ceiling * 0.75);
    }));
  });
});

describe('error bodies', () => {
  it('reads the documented shape', () => {
    expect(problemsFrom({ detail: 'MX records require a priority value', error_code: 'validation_error', field: 'priority' }))
      .toEqual([{ field: 'priority', rule: 'validation_error', message: 'MX records require a priority value' }]);
  });
  it('reads DRF field errors, nested errors and non_field_errors', () => {
    const problems = problemsFrom({ priority: ['This field is required.'], ttl: 'Too small.', data: { weight: ['Bad.'] }, non_field_errors: ['Zone exists.'] });
    expect(problems.map((p) => `${p.field}=${p.message}`)).toEqual([
      'priority=This field is required.', 'ttl=Too small.', 'data.weight=Bad.', '(request)=Zone exists.',
    ]);
  });
  it('summarises HTML by its title, else its text, never the markup', () => {
    expect(summariseBody('<html><head><title>503 Service Unavailable</title></head><body><h1>x</h1></body></html>')).toBe('503 Service Unavailable');
    const s = summariseBody(`<div><style>a{}</style><p>Bad &amp; worse</p>${'y'.repeat(300)}</div>`);
    expect(s.startsWith('Bad & worse')).toBe(true);
    expect(s.length).toBeLessThanOrEqual(100);
    expect(summariseBody('line1\u0000\u001b[31mred\nline2')).toBe('line1 [31mred line2');
  });
});

describe('record matching for read-back', () => {
  it('normalises names against the zone', () => {
    expect(['@', '', 'Example.COM', 'example.com.'].map((n) => normaliseName(n, 'example.com'))).toEqual(['@', '@', '@', '@']);
    expect(normaliseName('WWW.example.com.', 'example.com')).toBe('www');
    expect(normaliseName('www', 'example.com')).toBe('www');
    expect(normaliseName('www.other.org', 'example.com')).toBe('www.other.org');
  });
  it('normalises hostnames in values but keeps TXT exact', () => {
    expect(normaliseValue('CNAME', 'Target.Example.NET.')).toBe('target.example.net');
    expect(normaliseValue('SRV', '10 5060 SIP.example.com.')).toBe('10 5060 sip.example.com');
    expect(normaliseValue('AAAA', '2001:0DB8:0000::1')).toBe('2001:db8::1');
    expect(normaliseValue('CAA', '0 ISSUE "letsencrypt.org"')).toBe('0 issue "letsencrypt.org"');
    expect(normaliseValue('TXT', 'Hello World')).toBe('Hello World');
  });
  const held = { uuid: 'r', record_type: 'MX', name: 'mail', value: 'mx1.example.net', ttl: 3600, priority: 10 };
  it('matches a record by type, name, value and priority', () => {
    expect(sameRecord({ record_type: 'MX', name: 'Mail.Example.com.', value: 'MX1.example.net.', priority: 10 }, held, 'example.com')).toBe(true);
    expect(sameRecord({ record_type: 'MX', name: 'mail', value: 'mx1.example.net', priority: 20 }, held, 'example.com')).toBe(false);
    expect(sameRecord({ record_type: 'CNAME', name: 'mail', value: 'mx1.example.net' }, held, 'example.com')).toBe(false);
    expect(sameRecord({ record_type: 'MX', name: 'mail2', value: 'mx1.example.net', priority: 10 }, held, 'example.com')).toBe(false);
  });
  it('checks only the patched fields', () => {
    expect(patchApplied({ ttl: 3600 }, held)).toBe(true);
    expect(patchApplied({ ttl: 60 }, held)).toBe(false);
    expect(patchApplied({ value: 'MX1.example.net.', priority: 10 }, held)).toBe(true);
    expect(patchApplied({ priority: null }, held)).toBe(false);
  });
});

describe('path template', () => {
  it('encodes each interpolation as one segment', () => {
    expect(path`/dns-records/${'a?b#c'}/`).toBe('/dns-records/a%3Fb%23c/');
    expect(path`/dns-zones/${'../../x'}/records/`).toBe('/dns-zones/..%2F..%2Fx/records/');
  });
  it('no id can leave its segment once a URL parser has seen it', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.constantFrom('..', '.', '%2e%2E', '.%2E', '/', '?', '#', '\\', '..\\..')), (id) => {
      let p: string;
      try {
        p = path`/dns-records/${id}/`;
      } catch (err) {
        return err instanceof UserError && err.code === 'validation';
      }
      const url = new URL(`http://127.0.0.1/api/v1${p}`);
      return url.search === '' && url.hash === '' && /^\/api\/v1\/dns-records\/[^/]+\/$/.test(url.pathname);
    }), { numRuns: 500 });
  });
});
