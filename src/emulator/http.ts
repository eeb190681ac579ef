import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './api-error.js';

/** What a route answers; written by the server (or withheld, for drop_after). */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const MAX_BODY = 1024 * 1024;

/** The request body as read: raw text, and the parsed JSON or the reason it is not usable. */
export interface ReadBody {
  raw: string;
  json?: unknown;
  error?: string;
  tooLarge?: boolean;
}

export function readBody(req: IncomingMessage): Promise<ReadBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) tooLarge = true;
      else chunks.push(c);
    });
    req.on('error', reject);
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      if (tooLarge) return resolve({ raw: '', tooLarge: true });
      if (raw.trim() === '') return resolve({ raw });
      try {
        resolve({ raw, json: JSON.parse(raw) as unknown });
      } catch (err) {
        resolve({ raw, error: `JSON parse error - ${(err as Error).message}` });
      }
    });
  });
}

/** The body as a JSON object, as every write endpoint requires; empty means {} (DRF does the same). */
export function bodyObject(body: ReadBody): Record<string, unknown> {
  if (body.tooLarge) throw new ApiError(413, 'request_too_large', `Request body larger than ${MAX_BODY} bytes`);
  if (body.error) throw new ApiError(400, 'parse_error', body.error);
  if (body.json === undefined) return {};
  if (typeof body.json !== 'object' || body.json === null || Array.isArray(body.json)) {
    throw new ApiError(400, 'parse_error', 'Request body must be a JSON object, e.g. {"domain": "example.com"}');
  }
  return body.json as Record<string, unknown>;
}

export function send(res: ServerResponse, reply: Reply): void {
  if (res.destroyed || res.headersSent) return;
  const headers: Record<string, string | number> = { ...reply.headers };
  if (reply.status === 204 || reply.body === undefined) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  headers['content-type'] = 'application/json';
  headers['content-length'] = Buffer.byteLength(text);
  res.writeHead(reply.status, headers);
  res.end(text);
}
