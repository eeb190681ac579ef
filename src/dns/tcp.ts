/**
 * One DNS exchange over TCP (RFC 7766): each message is preceded by a 2-byte length. Data may
 * arrive in any split, so bytes are buffered until a whole frame is there. Frames that do not
 * answer our query are skipped.
 */
import { connect } from 'node:net';
import { answersQuery, parseReply } from './packet.js';
import type { Exchange, Server } from './udp.js';

/** Enough for any DNS message (65535) plus its prefix; guards against a peer streaming forever. */
const MAX_BUFFERED = 65537 * 2;

export function tcpExchange(server: Server, query: Buffer, opts: { timeoutMs: number; signal?: AbortSignal | undefined }): Promise<Exchange> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let buffered = Buffer.alloc(0);
    let done = false;
    const socket = connect({ host: server.address, port: server.port });
    const finish = (result: Exchange) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(result);
    };
    const onAbort = () => finish({ ok: false, kind: 'network', error: 'query aborted', rttMs: elapsed() });
    const timer = setTimeout(() => finish({ ok: false, kind: 'timeout', error: `no reply over TCP within ${opts.timeoutMs} ms`, rttMs: elapsed() }), opts.timeoutMs);

    socket.on('error', (err) => finish({ ok: false, kind: 'network', error: `TCP: ${err.message}`, rttMs: elapsed() }));
    socket.on('close', () => finish({ ok: false, kind: 'network', error: 'TCP connection closed before a complete reply', rttMs: elapsed() }));
    socket.on('connect', () => {
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(query.length);
      socket.setNoDelay(true);
      socket.write(Buffer.concat([prefix, query]));
    });
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length > MAX_BUFFERED) return finish({ ok: false, kind: 'malformed', error: 'TCP peer sent too much data without a matching reply', rttMs: elapsed() });
      while (buffered.length >= 2) {
        const len = buffered.readUInt16BE(0);
        if (buffered.length < 2 + len) return;
        const frame = buffered.subarray(2, 2 + len);
        buffered = buffered.subarray(2 + len);
        if (!answersQuery(frame, query)) continue;
        const parsed = parseReply(frame);
        return finish(parsed.ok ? { ok: true, reply: parsed.reply, rttMs: elapsed() } : { ok: false, kind: 'malformed', error: parsed.error, rttMs: elapsed() });
      }
    });
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
