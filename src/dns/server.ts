/**
 * A small authoritative nameserver over UDP and TCP on one port, answering from a lookup
 * function (the sandbox feeds it the emulator's published state). Loopback by default; it is a
 * test and demo fixture, not a production server: no zone transfers, no DNSSEC, no rate limits.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server as TcpServer, type Socket } from 'node:net';
import { log } from '../log.js';
import { respond } from './responder.js';
import type { ZoneLookup } from './zone-answers.js';

export interface DnsServerOptions {
  lookup: ZoneLookup;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port (the same one for UDP and TCP). */
  port?: number;
  /** A label for log lines, e.g. the nameserver's name. */
  name?: string;
  /** Idle TCP connections are closed after this long (default 10 s, RFC 7766 6.2.3 suggests seconds). */
  tcpIdleMs?: number;
  /** Do not keep the process alive (a server's preview nameserver: stdio mode ends when its input does). */
  unref?: boolean;
}

export interface DnsServer {
  host: string;
  port: number;
  close(): Promise<void>;
}

function listenUdp(host: string, port: number): Promise<UdpSocket> {
  return new Promise((resolve, reject) => {
    const sock = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    sock.once('error', reject);
    sock.bind(port, host, () => {
      sock.off('error', reject);
      resolve(sock);
    });
  });
}

function listenTcp(server: TcpServer, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** RFC 7766 8: every DNS message over TCP carries a two-byte length prefix; several may share a connection. */
function serveTcpConnection(socket: Socket, lookup: ZoneLookup, idleMs: number): void {
  let buffered = Buffer.alloc(0);
  socket.setTimeout(idleMs, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 2) {
      const len = buffered.readUInt16BE(0);
      if (buffered.length < 2 + len) return;
      const msg = buffered.subarray(2, 2 + len);
      buffered = buffered.subarray(2 + len);
      let reply: Buffer | null;
      try {
        reply = respond(Buffer.from(msg), lookup, { transport: 'tcp' });
      } catch (err) {
        log.warn(`dns: TCP query failed: ${err instanceof Error ? err.message : String(err)}`);
        socket.destroy();
        return;
      }
      if (!reply) continue;
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(reply.length);
      socket.write(Buffer.concat([prefix, reply]));
    }
  });
}

async function bindBoth(host: string, port: number, tcp: TcpServer): Promise<{ udp: UdpSocket; port: number }> {
  // With port 0 the kernel picks a TCP port, which may be taken for UDP: try a few times.
  for (let attempt = 0; ; attempt++) {
    await listenTcp(tcp, host, port);
    const address = tcp.address();
    const chosen = typeof address === 'object' && address ? address.port : port;
    try {
      return { udp: await listenUdp(host, chosen), port: chosen };
    } catch (err) {
      await new Promise<void>((r) => tcp.close(() => r()));
      if (port !== 0 || attempt >= 5) throw err;
    }
  }
}

/** Starts the nameserver; rejects when the port cannot be bound for UDP and TCP. */
export async function startDnsServer(opts: DnsServerOptions): Promise<DnsServer> {
  const host = opts.host ?? '127.0.0.1';
  const idleMs = opts.tcpIdleMs ?? 10_000;
  const sockets = new Set<Socket>();
  const tcp = createServer((socket) => {
    if (opts.unref) socket.unref();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveTcpConnection(socket, opts.lookup, idleMs);
  });
  const { udp, port } = await bindBoth(host, opts.port ?? 0, tcp);
  udp.on('message', (msg, rinfo) => {
    let reply: Buffer | null;
    try {
      reply = respond(msg, opts.lookup, { transport: 'udp' });
    } catch (err) {
      log.warn(`dns ${opts.name ?? ''}: query failed: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    if (reply) udp.send(reply, rinfo.port, rinfo.address);
  });
  udp.on('error', (err) => log.warn(`dns ${opts.name ?? ''}: UDP error: ${err.message}`));
  if (opts.unref) {
    udp.unref();
    tcp.unref();
  }
  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        let pending = 2;
        const done = () => --pending === 0 && resolve();
        tcp.close(done);
        udp.close(done);
      });
      return closing;
    },
  };
}
