/**
 * One DNS exchange over UDP on a fresh socket (fresh random source port per query, RFC 5452).
 * The socket is unconnected so that every datagram is seen and checked here: only a reply from
 * the queried address and port, with our id and our question, is accepted; anything else is
 * counted and ignored while we keep waiting.
 */
import { createSocket, type RemoteInfo } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { answersQuery, parseReply, type Reply } from './packet.js';

export interface Server {
  address: string;
  port: number;
  /** false: never over TCP (a model-given server on a port other than 53). */
  tcp?: boolean;
}

export type Exchange =
  | { ok: true; reply: Reply; rttMs: number }
  | { ok: false; kind: 'timeout' | 'malformed' | 'network'; error: string; rttMs: number };

function sameAddress(a: string, b: string): boolean {
  if (a === b) return true;
  const strip = (s: string) => s.toLowerCase().replace(/^::ffff:/, '');
  return strip(a) === strip(b);
}

export function udpExchange(server: Server, query: Buffer, opts: { timeoutMs: number; signal?: AbortSignal | undefined }): Promise<Exchange> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    const socket = createSocket(isIPv6(server.address) ? 'udp6' : 'udp4');
    let ignored = 0;
    let done = false;
    const finish = (result: Exchange) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners('message');
      try {
        socket.close();
      } catch {
        // already closed
      }
      resolve(result);
    };
    const onAbort = () => finish({ ok: false, kind: 'network', error: 'query aborted', rttMs: elapsed() });
    const timer = setTimeout(() => {
      const note = ignored ? ` (${ignored} unrelated or spoofed datagram${ignored > 1 ? 's' : ''} ignored)` : '';
      finish({ ok: false, kind: 'timeout', error: `no reply over UDP within ${opts.timeoutMs} ms${note}`, rttMs: elapsed() });
    }, opts.timeoutMs);

    socket.on('error', (err) => finish({ ok: false, kind: 'network', error: `UDP: ${err.message}`, rttMs: elapsed() }));
    socket.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
      if (rinfo.port !== server.port || !sameAddress(rinfo.address, server.address) || !answersQuery(msg, query)) {
        ignored++;
        return;
      }
      const parsed = parseReply(msg);
      if (!parsed.ok) finish({ ok: false, kind: 'malformed', error: parsed.error, rttMs: elapsed() });
      else finish({ ok: true, reply: parsed.reply, rttMs: elapsed() });
    });
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    socket.send(query, server.port, server.address, (err) => {
      if (err) finish({ ok: false, kind: 'network', error: `UDP send to ${server.address}:${server.port}: ${err.message}`, rttMs: elapsed() });
    });
  });
}
