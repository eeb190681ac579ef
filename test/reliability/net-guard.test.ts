/**
 * The fuzz's loopback guard must really refuse: otherwise "no traffic off loopback" would prove
 * nothing. (Its own file, so these deliberate refusals never count in the run's figures.)
 */
import { createSocket } from 'node:dgram';
import { connect, createServer, type Socket } from 'node:net';
import { afterAll, expect, it } from 'vitest';
import { blocked, installNetGuard, isLoopback } from './support/net-guard.js';

const restore = installNetGuard();
afterAll(() => restore());

it('knows loopback from everything else', () => {
  for (const h of ['127.0.0.1', '127.8.9.10', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) expect(isLoopback(h), h).toBe(true);
  for (const h of ['192.0.2.1', '10.0.0.1', '::2', 'ns1.vps.org', '0.0.0.0', '::ffff:192.0.2.1']) expect(isLoopback(h), h).toBe(false);
});

it('refuses a UDP datagram to a non-loopback address and lets loopback through', async () => {
  const socket = createSocket('udp4');
  try {
    expect(() => socket.send(Buffer.from('x'), 53, '192.0.2.1')).toThrow(/not loopback/);
    await new Promise<void>((resolve, reject) => socket.send(Buffer.from('x'), 9, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  } finally {
    socket.close();
  }
  expect(blocked.some((b) => b.includes('192.0.2.1'))).toBe(true);
});

it('refuses a TCP connection to a non-loopback address and lets loopback through', async () => {
  const refused = await new Promise<Error>((resolve) => connect({ host: '192.0.2.1', port: 443 }).on('error', resolve));
  expect(refused.message).toMatch(/not loopback/);
  const server = createServer((s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const ok = await new Promise<boolean>((resolve) => {
    const s: Socket = connect({ host: '127.0.0.1', port }, () => resolve(true)).on('error', () => resolve(false));
    s.on('close', () => undefined);
  });
  server.close();
  expect(ok).toBe(true);
});
