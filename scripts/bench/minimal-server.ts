// The cold-start baseline: a one-tool server on the same SDK, bundled the same way as dist/index.js.
import { McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import * as z from 'zod';

serveStdio(() => {
  const server = new McpServer({ name: 'minimal', version: '0.0.0' }, { capabilities: { tools: {} } });
  server.registerTool(
    'echo',
    { title: 'Echo', description: 'Echoes text.', inputSchema: z.object({ text: z.string().describe('Text.') }), annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } },
    async ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  return server;
});
