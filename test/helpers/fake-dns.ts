/**
 * A scriptable DNS responder on loopback for what BIND cannot be made to do: wrong ids, wrong
 * questions, replies from another port, garbage, compression loops, truncated records, TCP
 * replies split into tiny pieces. The handler decides what to send for every query.
 */
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { Answer, RecordType } from 'dns-packet';

export interface FakeQuery {
  id: number;
  name: string;
  type: string;
  rd: boolean;
  raw: Buffer;
  transport: 'udp' | 'tcp';
}

export interface Sender {
  /** Sends a datagram (UDP) or a raw byte chunk (TCP) back to the querier. */
  send(buf: Buffer, opts?: { fromOtherPort?: boolean }): void;
  /** TCP only: sends `buf` with its 2-byte length prefix, in pieces of `chunk` bytes (the first piece 1 byte). */
  frame(buf: Buffer, chunk?: number): Promise<void>;
  /** TCP only: closes the connection. */
  end(): void;
}

export type FakeHandler = (q: FakeQuery, out: Sender) => void | Promise<void>;

export interface FakeDns {
  address: string;
  port: number;
  queries: FakeQuery[];
  close(): Promise<void>;
}

/** A reply to `q` built with dns-packet; every part can be overridden to make it wrong. */
export function reply(
  q: FakeQuery,
  opts: { id?: number; name?: string; type?: string; rcode?: number; aa?: boolean; tc?: boolean; answers?: Answer[]; authorities?: Answer[]; additionals?: Answer[] } = {},
): Buffer {
  const flags = (opts.aa === false ? 0 : dnsPacket.AUTHORITATIVE_ANSWER) | (opts.tc ? dnsPacket.TRUNCATED_RESPONSE : 0) | (opts.rcode ?? 0);
  return dnsPacket.encode({
    type: 'response',
    id: opts.id ?? q.id,
    flags,
    questions: [{ name: opts.name ?? q.name, type: (opts.type ?? q.type) as RecordType, class: 'IN' }],
    answers: opts.answers ?? [],
    authorities: opts.authorities ?? [],
    additionals: opts.additionals ?? [],
  });
}

function decodeQuery(raw: Buffer, transport: 'udp' | 'tcp'): FakeQuery | null {
  try {
    const p = dnsPacket.decode(raw);
    const q = p.questions?.[0];
    if (!q) return null;
    return { id: p.id ?? 0, name: q.name, type: q.type, rd: p.flag_rd, raw, transport };
  } catch {
    return null;
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function bindUdp(address: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createSocket(address.includes(':') ? 'udp6' : 'udp4');
    s.once('error', reject);
    s.bind(port, address, () => resolve(s));
  });
}

function listenTcp(address: string, port: number, onConn: (c: TcpSocket) => void): Promise<Server | null> {
  return new Promise((resolve) => {
    const srv = createServer({ noDelay: true }, onConn);
    srv.once('error', () => resolve(null));
    srv.listen(port, address, () => resolve(srv));
  });
}

/** Starts a responder on `address` (UDP, and TCP on the same port when `tcp` is set). */
export async function startFakeDns(handler: FakeHandler, opts: { address?: string; tcp?: boolean } = {}): Promise<FakeDns> {
  const address = opts.address ?? '127.0.0.1';
  const queries: FakeQuery[] = [];
  const conns = new Set<TcpSocket>();
  let udp: Socket | null = null;
  let tcp: Server | null = null;
  for (let i = 0; i < 20 && !tcp; i++) {
    udp = await bindUdp(address, 0);
    if (!opts.tcp) break;
    tcp = await listenTcp(address, udp.address().port, (c) => {
      conns.add(c);
      c.on('close', () => conns.delete(c));
      c.on('error', () => undefined);
      let buf = Buffer.alloc(0);
      c.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          const q = decodeQuery(buf.subarray(2, 2 + buf.readUInt16BE(0)), 'tcp');
          buf = buf.subarray(2 + buf.readUInt16BE(0));
          if (!q) continue;
          queries.push(q);
          const frame = async (b: Buffer, chunk = 65537) => {
            const all = Buffer.concat([Buffer.from([b.length >> 8, b.length & 255]), b]);
            // When split, the first piece is one byte: even the length prefix arrives in halves.
            const cuts = chunk < all.length ? [0, 1] : [0];
            for (let o = 1 + chunk; o < all.length; o += chunk) if (chunk < all.length) cuts.push(o);
            for (let i = 0; i < cuts.length && !c.destroyed; i++) {
              c.write(all.subarray(cuts[i], cuts[i + 1] ?? all.length));
              if (cuts.length > 1) await pause(3);
            }
          };
          void handler(q, { send: (b) => c.write(b), frame, end: () => c.end() });
        }
      });
    });
    if (!tcp) udp.close();
  }
  const sock = udp as Socket;
  const other = await bindUdp(address, 0);
  sock.on('message', (raw, rinfo) => {
    const q = decodeQuery(raw, 'udp');
    if (!q) return;
    queries.push(q);
    const send = (b: Buffer, o: { fromOtherPort?: boolean } = {}) => (o.fromOtherPort ? other : sock).send(b, rinfo.port, rinfo.address);
    void handler(q, { send, frame: async () => undefined, end: () => undefined });
  });
  return {
    address,
    port: sock.address().port,
    queries,
    async close() {
      for (const c of conns) c.destroy();
      await Promise.all([
        new Promise<void>((r) => sock.close(() => r())),
        new Promise<void>((r) => other.close(() => r())),
        tcp ? new Promise<void>((r) => (tcp as Server).close(() => r())) : Promise.resolve(),
      ]);
    },
  };
}
