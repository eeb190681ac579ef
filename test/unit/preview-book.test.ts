/**
 * Issue 25.6: the preview nameserver's book (one preview per zone, at most MAX_PREVIEWS, each for
 * PREVIEW_TTL_MS, every ended id refused with its reason) and its setting, loopback only.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { loadConfig } from '../../src/config.js';
import { MAX_PREVIEWS, PREVIEW_TTL_MS, PreviewBook } from '../../src/dns/preview-book.js';
import { queryDns } from '../../src/dns/query.js';

const clock = { now: 1_000_000 };
let book: PreviewBook;
afterEach(() => book?.close());

const entry = (zone: string) => ({ zone, zoneUuid: `uuid-${zone}`, data: { records: [{ record_type: 'A', name: 'www', value: '192.0.2.7', ttl: 300 }], serial: 42 }, planDigest: 'p', argsDigest: 'a' });

describe('PreviewBook', () => {
  it('keeps one preview per zone: a newer one replaces it, and the old id says by which', () => {
    book = new PreviewBook({ host: '127.0.0.1', port: 0 }, () => clock.now);
    const a = book.add(entry('Example.COM.'));
    const b = book.add(entry('example.com'));
    expect(book.get(a.id)).toEqual({ why: 'replaced', zone: 'example.com', by: b.id });
    expect(book.serving('EXAMPLE.com')?.id).toBe(b.id);
  });

  it(`serves at most ${MAX_PREVIEWS} zones, the oldest ends first; each ends after ${PREVIEW_TTL_MS} ms`, () => {
    book = new PreviewBook({ host: '127.0.0.1', port: 0 }, () => clock.now);
    const ids = Array.from({ length: MAX_PREVIEWS + 1 }, (_, i) => (clock.now += 1, book.add(entry(`z${i}.example`)).id));
    expect(book.get(ids[0] as string)).toEqual({ why: 'evicted', zone: 'z0.example' });
    expect('id' in book.get(ids[1] as string)).toBe(true);
    clock.now += PREVIEW_TTL_MS - (MAX_PREVIEWS - 1); // z1 was filed at the second tick: it ends now, z5 a few ms later
    expect(book.serving('z1.example')).toBeUndefined();
    expect(book.get(ids[1] as string)).toEqual({ why: 'expired', zone: 'z1.example' });
    expect('id' in book.get(ids[MAX_PREVIEWS] as string)).toBe(true);
    expect(book.get('pv_nope')).toEqual({ why: 'unknown' });
  });

  it('its nameserver answers the preview, with AA, and refuses other zones', async () => {
    book = new PreviewBook({ host: '127.0.0.1', port: 0 }, () => clock.now);
    book.add(entry('served.example'));
    const e = await book.endpoint();
    const server = { address: e.host, port: e.port };
    const hit = await queryDns(server, 'www.served.example', 'A', { timeoutMs: 2000 });
    expect(hit).toMatchObject({ ok: true, rcode: 'NOERROR', aa: true });
    expect(hit.ok && hit.answers.map((a) => a.value)).toEqual(['192.0.2.7']);
    expect(await queryDns(server, 'www.other.example', 'A', { timeoutMs: 2000 })).toMatchObject({ ok: true, rcode: 'REFUSED' });
  });
});

describe('VPSORG_PREVIEW_DNS', () => {
  it('is off by default, and takes a loopback address with a port (0: a free one)', () => {
    expect(loadConfig({}).previewDns).toBeNull();
    expect(loadConfig({ VPSORG_PREVIEW_DNS: 'off' }).previewDns).toBeNull();
    expect(loadConfig({ VPSORG_PREVIEW_DNS: '127.0.0.1:0' }).previewDns).toEqual({ host: '127.0.0.1', port: 0 });
    expect(loadConfig({ VPSORG_PREVIEW_DNS: '[::1]:5353' }).previewDns).toEqual({ host: '::1', port: 5353 });
  });

  it('refuses an address other machines could reach, and says what it takes', () => {
    for (const v of ['0.0.0.0:53', '192.0.2.1:5353', '127.0.0.1', '127.0.0.1:70000']) {
      expect(() => loadConfig({ VPSORG_PREVIEW_DNS: v })).toThrow(ConfigError);
      expect(() => loadConfig({ VPSORG_PREVIEW_DNS: v })).toThrow(/loopback address and port \(e\.g\. 127\.0\.0\.1:0/);
    }
  });
});
