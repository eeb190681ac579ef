/**
 * The wire of a 2026-07-28 client for the Tasks extension (io.modelcontextprotocol/tasks): one
 * POST per request with the spec's routing headers, the JSON-RPC message framed here. Used by
 * @modelcontextprotocol/ext-tasks as its raw dispatch, and by tests that poll one replica and
 * cancel through another.
 */
import type { RawClientDispatch } from '@modelcontextprotocol/ext-tasks/client';

export const V2 = '2026-07-28';
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

export type Sent = { method: string; params: Record<string, unknown> };

/** The per-request _meta of a 2026-07-28 request; `tasks`: the client declares the extension. */
export function v2Meta(tasks: boolean): Record<string, unknown> {
  return {
    'io.modelcontextprotocol/protocolVersion': V2,
    'io.modelcontextprotocol/clientInfo': { name: 'tasks-test', version: '1' },
    'io.modelcontextprotocol/clientCapabilities': tasks ? { extensions: { [TASKS_EXTENSION]: {} } } : {},
  };
}

/** Posts each request to `urls()` (called per request, so a test can alternate replicas); `headers`: e.g. the access key. */
export function dispatcher(urls: () => string, log: Sent[], headers: Record<string, string> = {}): RawClientDispatch {
  let id = 0;
  return async (request) => {
    const req = request as { method: string; params?: Record<string, unknown> };
    log.push({ method: req.method, params: req.params ?? {} });
    const name = req.method === 'tools/call' ? req.params?.['name'] : req.params?.['taskId'];
    const res = await fetch(urls(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': V2, 'mcp-method': req.method, ...(typeof name === 'string' ? { 'mcp-name': name } : {}), ...headers },
      // The coordinator frames the JSON-RPC message: ext-tasks hands over method and params.
      body: JSON.stringify({ jsonrpc: '2.0', id: ++id, ...(request as object) }),
    });
    const text = await res.text();
    const json = (res.headers.get('content-type') ?? '').includes('text/event-stream')
      ? JSON.parse(text.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).filter((l) => l.includes('"id"')).at(-1) ?? '{}')
      : JSON.parse(text);
    return json.error ? { kind: 'error', error: json.error } : { kind: 'result', result: json.result };
  };
}

/** One request to one endpoint: its result, or throws with the JSON-RPC error. */
export async function rpc(url: string, method: string, params: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const out = (await dispatcher(() => url, [], headers)({ method, params } as never)) as { kind: string; result?: Record<string, unknown>; error?: unknown };
  if (out.kind === 'error') throw new Error(`${method}: ${JSON.stringify(out.error)}`);
  return out.result ?? {};
}
