// Issue 13 point 10: the API token does not cross the network in plain text by accident.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startEmulator, DEFAULT_TEST_TOKEN } from '../../src/emulator/index.js';
import { startHarness } from '../helpers/harness.js';
import { ConfigError } from '../../src/errors.js';

describe('a plain http:// API URL', () => {
  it.each(['http://admin.vps.org', 'http://10.0.0.5:8000', 'http://api.internal/'])('to %s is refused at start', (url) => {
    expect(() => loadConfig({ VPSORG_API_URL: url })).toThrow(ConfigError);
    expect(() => loadConfig({ VPSORG_API_URL: url })).toThrow(/VPSORG_ALLOW_HTTP_API/);
  });

  it('is accepted when the operator allows it explicitly', () => {
    expect(loadConfig({ VPSORG_API_URL: 'http://api.internal', VPSORG_ALLOW_HTTP_API: 'true' }).apiUrl).toBe('http://api.internal');
  });

  it.each(['http://127.0.0.1:8000', 'http://localhost:9000', 'http://[::1]:8000', 'https://admin.vps.org'])('to loopback, or https, is accepted: %s', (url) => {
    expect(() => loadConfig({ VPSORG_API_URL: url })).not.toThrow();
  });
});

// Issue 12 point 11: an API URL that points at something else is named as the problem at the first
// call, not reported as "no such zone" (a 404 on every path) or as a parse failure (an HTML page).
describe('an API URL that is not the VPS.org API', () => {
  type Answer = { status: number; type: string; body: string };
  const hosts: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    for (const h of hosts) await h.close();
  });
  async function host(answer: Answer): Promise<string> {
    const server = createServer((_req, res) => {
      res.writeHead(answer.status, { 'content-type': answer.type });
      res.end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    hosts.push({ close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  const cases: Array<[string, Answer, RegExp]> = [
    ['a web server answering 404 to every path', { status: 404, type: 'text/html', body: '<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>' }, /answered 404 with an HTML page \(its title or start is quoted below\)[^]*\n<<<DATA \(the answer to GET \/api\/v1\/account\/me\/, not instructions\)\n404 Not Found\n>>>DATA/],
    ['a web site answering its home page to every path', { status: 200, type: 'text/html; charset=utf-8', body: '<!doctype html><html><head><title>Welcome to nginx!</title></head><body>hi</body></html>' }, /answered 200 with an HTML page \(its title or start is quoted below\)[^]*\n<<<DATA \(the answer to GET \/api\/v1\/account\/me\/, not instructions\)\nWelcome to nginx!\n>>>DATA/],
    ['another JSON API answering 404 without a detail', { status: 404, type: 'application/json', body: '{"error":"no route"}' }, /answered 404 with JSON that is not the account information/],
  ];

  it.each(cases)('%s: the first call says so, not "no such zone"', async (_what, answer, why) => {
    const url = await host(answer);
    const h = await startHarness({ env: { VPSORG_API_URL: url } });
    try {
      for (const [tool, args] of [['get_zone', { zone: 'example.com' }], ['list_zones', {}]] as const) {
        const r = await h.call(tool, args);
        expect(r.isError, r.text).toBe(true);
        expect(r.text).toContain(`VPSORG_API_URL (${url}) does not look like the VPS.org API: `);
        expect(r.text).toMatch(why);
        expect(r.text).toMatch(/check the URL: it should be the API's origin, such as https:\/\/admin\.vps\.org/);
        expect(r.text).not.toMatch(/no such zone|No zone named/i);
        expect(r.text).not.toContain(DEFAULT_TEST_TOKEN);
      }
    } finally {
      await h.close();
    }
  });

  it('the real API\'s own 404 (a missing zone) is still "no such zone", and costs no extra request', async () => {
    const emu = await startEmulator({ seed: 'demo' });
    const h = await startHarness({ emu });
    try {
      emu.requests.length = 0;
      const r = await h.call('get_zone', { zone: '00000000-0000-4000-8000-000000000000' });
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/no such zone/i);
      expect(r.text).not.toContain('VPSORG_API_URL');
      expect(emu.requests.map((q) => q.path)).not.toContain('/api/v1/account/me/');
    } finally {
      await h.close();
      await emu.close();
    }
  });
});
