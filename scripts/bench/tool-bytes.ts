/**
 * What the model pays for the tool list: name, title, description and input schema of every tool,
 * as the built server sends them to a client over stdio (output schemas go to programs, not the
 * model). `npm run bench list` reports it; test/e2e/tools-budget.test.ts holds the budgets.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

export const FULL_BUDGET = 24_000;
export const ESSENTIAL_BUDGET = 10_000;

interface ListedTool {
  name: string;
  title?: string | undefined;
  description?: string | undefined;
  inputSchema: unknown;
}

export const modelBytes = (t: ListedTool) => Buffer.byteLength(t.name + (t.title ?? '') + (t.description ?? '') + JSON.stringify(t.inputSchema ?? {}));

export interface ListedBytes {
  tools: Array<{ name: string; bytes: number }>;
  total: number;
}

/** Spawns dist/index.js with `env` (plus a placeholder token), lists its tools, and counts. */
export async function builtToolBytes(env: Record<string, string> = {}): Promise<ListedBytes> {
  const client = new Client({ name: 'tool-bytes', version: '1' });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['dist/index.js'],
    env: { PATH: process.env['PATH'] ?? '', VPSORG_API_TOKEN: 'vps_bench_token_0000', VPSORG_API_URL: 'http://127.0.0.1:9', ...env },
    stderr: 'ignore',
  });
  await client.connect(transport);
  try {
    const { tools } = await client.listTools();
    const rows = tools.map((t) => ({ name: t.name, bytes: modelBytes(t) }));
    return { tools: rows, total: rows.reduce((a, r) => a + r.bytes, 0) };
  } finally {
    await client.close();
  }
}
