/**
 * The request body, read here rather than by the SDK's adapter, so that a body over the limit is
 * answered with 413 and a JSON-RPC error after it has been received. The adapter answers at once
 * and closes the connection while the client is still sending; a client that writes its whole
 * body before reading (Python's urllib, many HTTP libraries) then sees a broken pipe, not the 413.
 */
import type { IncomingMessage } from 'node:http';

/** The largest MCP request body accepted (the SDK's default; a 2,000-record apply_zone is ~300 KB). */
export const MAX_HTTP_BODY_BYTES = 4 * 1024 * 1024;
/** Past this much, an oversized body is not drained: the connection is cut instead. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

export type BodyRead = { ok: true; body: Buffer } | { ok: false; tooLarge: true; received: number; drained: boolean };

/** Reads the whole body up to `max` bytes; past it, keeps reading and discarding (bounded) so the answer can be delivered. */
export async function readBody(req: IncomingMessage, max = MAX_HTTP_BODY_BYTES): Promise<BodyRead> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_DRAIN_BYTES) return { ok: false, tooLarge: true, received: declared, drained: false };
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received > MAX_DRAIN_BYTES) return { ok: false, tooLarge: true, received, drained: false };
    if (received <= max) chunks.push(chunk);
  }
  return received > max ? { ok: false, tooLarge: true, received, drained: true } : { ok: true, body: Buffer.concat(chunks) };
}

export function tooLargeMessage(received: number, max = MAX_HTTP_BODY_BYTES): string {
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `Request body too large: ${mib(received)} (${received} bytes) is over this server's limit of ${mib(max)} (${max} bytes). Nothing was done. Send less in one call: split a large apply_zone or import_zone_file into several calls (for example by record name), or pass a zone file in parts.`;
}

/**
 * The request as the SDK's Node adapter reads it (method, url, headers, and the body as an async
 * iterable), with the body already in hand.
 */
export function withBody(req: IncomingMessage, body: Buffer): IncomingMessage {
  return Object.assign(Object.create(req) as IncomingMessage, {
    async *[Symbol.asyncIterator]() {
      if (body.length) yield body;
    },
  });
}
