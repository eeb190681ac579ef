/**
 * `call --server URL`: the same call made to a running server over HTTP, with the bearer token
 * from VPSORG_MCP_TOKEN (an OAuth access token, e.g. from a client-credentials request, or the
 * static key). The server's answer is reported exactly as a local call's (report.ts), so a
 * runbook moves from local to remote by adding one flag.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { ConfigError } from '../errors.js';
import type { RunResult } from '../tools/kit/run.js';
import { ERROR_META_KEY, SERVER_VERSION } from '../server.js';

export async function callRemote(server: string, token: string | undefined, tool: string, args: Record<string, unknown>): Promise<RunResult> {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new ConfigError(`--server is not a URL: "${server}". Example: --server https://dns-mcp.example.com/mcp`);
  }
  if (!token) throw new ConfigError('--server needs VPSORG_MCP_TOKEN: the bearer token for that server (an access token from your issuer, or its static key).');
  const client = new Client({ name: 'vpsorg-dns-mcp cli', version: SERVER_VERSION });
  try {
    await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    const r = (await client.callTool({ name: tool, arguments: args })) as { isError?: boolean; content?: Array<{ type: string; text?: string }>; structuredContent?: Record<string, unknown>; _meta?: Record<string, unknown> };
    const text = (r.content ?? []).map((c) => c.text ?? '').join('\n');
    if (r.isError) return { isError: true, text, error: (r._meta?.[ERROR_META_KEY] as RunResult & { code: string }) ?? { code: 'remote' } } as RunResult;
    return { isError: false, text, structured: r.structuredContent ?? {} };
  } catch (err) {
    // 401/403 and unreachable servers: the server's own words (a scope challenge names the scope to ask for).
    const why = err instanceof Error ? err.message : String(err);
    return { isError: true, text: `Error: ${server} refused or failed the call: ${why}`, error: { code: /40[13]|insufficient_scope|Unauthorized/i.test(why) ? 'auth' : 'remote' } };
  } finally {
    await client.close().catch(() => undefined);
  }
}
