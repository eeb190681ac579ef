/**
 * The OAuth resource server on node:http (auth/resource.ts decides; this file only speaks HTTP):
 * the protected resource metadata document, and the bearer check in front of the MCP endpoint.
 * The verified AuthInfo rides on `req.auth`, which the SDK's Node adapter hands to the server
 * factory and to each handler.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceServer } from '../auth/resource.js';
import { log } from '../log.js';

async function sendWeb(res: ServerResponse, r: Response): Promise<void> {
  res.writeHead(r.status, Object.fromEntries(r.headers.entries()));
  res.end(Buffer.from(await r.arrayBuffer()));
}

/** Serves the metadata document (public, CORS-readable: browser-based clients fetch it); false for other paths. */
export function serveMetadata(rs: ResourceServer, path: string, req: IncomingMessage, res: ServerResponse): boolean {
  if (!rs.metadataPaths.includes(path)) return false;
  const cors = { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, OPTIONS', 'access-control-allow-headers': 'mcp-protocol-version' };
  if (req.method === 'OPTIONS') return (res.writeHead(204, cors).end(), true);
  if (req.method !== 'GET' && req.method !== 'HEAD') return (res.writeHead(405, { allow: 'GET, OPTIONS' }).end(), true);
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300', ...cors });
  res.end(req.method === 'HEAD' ? undefined : JSON.stringify(rs.document));
  return true;
}

/** Checks the bearer token; on failure sends the 401/403 challenge and returns false. */
export async function admit(rs: ResourceServer, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const h = req.headers['authorization'];
  const auth = await rs.authenticate(Array.isArray(h) ? h[0] : h);
  if (auth instanceof Response) {
    log.info(`http: ${auth.status} for ${req.method} ${req.url ?? ''}: ${auth.headers.get('www-authenticate') ?? ''}`);
    await sendWeb(res, auth);
    return false;
  }
  (req as IncomingMessage & { auth?: unknown }).auth = auth;
  return true;
}
