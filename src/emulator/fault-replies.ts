import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultRule, RequestLogEntry } from './types.js';

const HTML_PAGE = (status: number): string =>
  `<!DOCTYPE html>\n<html><head><title>${status} Bad Gateway</title></head>\n<body><center><h1>${status} Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n`;

function raw(res: ServerResponse, status: number, type: string | undefined, body: string, extra: Record<string, string> = {}): void {
  const headers: Record<string, string | number> = { ...extra, 'content-length': Buffer.byteLength(body) };
  if (type) headers['content-type'] = type;
  res.writeHead(status, headers);
  res.end(body);
}

/**
 * Answers a request the way a broken network or proxy would, instead of processing it.
 * (drop_after, hang_after, hold and latency are handled by the server, since they process the request.)
 */
export function answerWithFault(fault: FaultRule, req: IncomingMessage, res: ServerResponse, entry: RequestLogEntry): void {
  let status: number | null = null;
  switch (fault.kind) {
    case 'status':
      status = fault.status ?? 500;
      raw(res, status, 'application/json', JSON.stringify({ detail: `Server error ${status} (injected by the emulator)`, error_code: 'server_error' }));
      break;
    case 'html':
      status = fault.status ?? 502;
      raw(res, status, 'text/html; charset=utf-8', HTML_PAGE(status));
      break;
    case 'rate_limit': {
      status = fault.status ?? 429;
      const after = fault.retryAfter;
      const detail = `Request was throttled.${after === undefined ? '' : ` Expected available in ${after} seconds.`}`;
      raw(res, status, 'application/json', JSON.stringify({ detail, error_code: 'throttled' }), after === undefined ? {} : { 'retry-after': String(after) });
      break;
    }
    case 'drop_before':
    case 'drop_after':
      req.socket.destroy();
      break;
    case 'hang':
    case 'hang_after':
      break; // the socket stays open until the client gives up or the emulator closes
    case 'hang_body':
      status = 200;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 4096 });
      res.write('[{"uuid": "');
      break;
    case 'malformed_json':
      status = 200;
      raw(res, 200, 'application/json', '{"uuid": "9b2f0c1e-4a7d-4f3e-8c55-1d0e6b7a2f90", "domain": "exa');
      break;
    case 'empty':
      status = 200;
      raw(res, 200, 'application/json', '');
      break;
    case 'redirect':
      status = 302;
      raw(res, 302, undefined, '', { location: fault.location ?? 'http://127.0.0.1:1/elsewhere' });
      break;
    case 'latency':
    case 'hold':
      break;
  }
  entry.status = status;
}
