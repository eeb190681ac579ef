import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { startEmulator, DEFAULT_TEST_TOKEN, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { loadConfig, type Env } from '../../src/config.js';
import { createApiClient } from '../../src/api/client.js';
import { createServerFactory, type ServerDeps } from '../../src/server.js';

export interface CallResult {
  isError?: boolean;
  text: string;
  structured: Record<string, unknown> | undefined;
  raw: unknown;
}

export interface Harness {
  emu: Emulator;
  /** The change journal's directory (a fresh temp directory unless the test gave VPSORG_JOURNAL_DIR). */
  journalDir: string;
  client: Client;
  call(name: string, args?: Record<string, unknown>): Promise<CallResult>;
  toolNames(): Promise<string[]>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Env;
  emulator?: EmulatorOptions;
  /** Reuse a running emulator (the harness then doesn't close it). */
  emu?: Emulator;
  deps?: Partial<ServerDeps>;
  elicit?: (params: { message: string; requestedSchema?: unknown; mode?: 'form' | 'url'; url?: string }) => Promise<{ action: 'accept' | 'decline' | 'cancel'; content?: Record<string, unknown> }>;
  /** The elicitation modes the client declares (default with `elicit`: form only). */
  elicitation?: { form?: Record<string, never>; url?: Record<string, never> };
  /** Declare that the client renders MCP Apps (the io.modelcontextprotocol/ui extension). */
  apps?: boolean;
}

/** The capability an MCP Apps host declares (ext-apps' EXTENSION_ID with the Apps mime type). */
export const APPS_CAPABILITY = { extensions: { 'io.modelcontextprotocol/ui': { mimeTypes: ['text/html;profile=mcp-app'] } } };

/** A real v2 client (protocol 2026-07-28) talking to the real server over an in-memory pipe, against the emulator over HTTP. */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const emu = opts.emu ?? (await startEmulator({ seed: 'demo', ...opts.emulator }));
  // Each server journals into a temp directory of its own: never the user's state directory.
  const journalDir = mkdtempSync(join(tmpdir(), 'vpsorg-journal-'));
  const config = loadConfig({ VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN, VPSORG_JOURNAL_DIR: journalDir, ...opts.env });
  const api = createApiClient({ baseUrl: config.apiUrl, token: config.token, timeoutMs: opts.env?.['VPSORG_TIMEOUT_MS'] ? config.timeoutMs : 2000, retryBaseMs: 1, maxRetries: 2 });
  const factory = createServerFactory(config, { api, ...opts.deps });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const handle = serveStdio(factory, { transport: serverSide });
  const client = new Client(
    { name: 'harness', version: '1' },
    { capabilities: { ...(opts.elicit ? { elicitation: opts.elicitation ?? { form: {} } } : {}), ...(opts.apps ? APPS_CAPABILITY : {}) }, versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  if (opts.elicit) {
    const elicit = opts.elicit;
    client.setRequestHandler('elicitation/create', async (req) => (await elicit(req.params as { message: string; requestedSchema?: unknown; mode?: 'form' | 'url'; url?: string })) as never);
  }
  await client.connect(clientSide);
  return {
    emu,
    journalDir: config.journalDir ?? journalDir,
    client,
    async call(name, args = {}) {
      const res = (await client.callTool({ name, arguments: args })) as { isError?: boolean; content?: Array<{ type: string; text?: string }>; structuredContent?: Record<string, unknown> };
      return {
        ...(res.isError !== undefined ? { isError: res.isError } : {}),
        text: (res.content ?? []).map((c) => c.text ?? '').join('\n'),
        structured: res.structuredContent,
        raw: res,
      };
    },
    async toolNames() {
      return (await client.listTools()).tools.map((t) => t.name);
    },
    async close() {
      await client.close();
      await handle.close();
      if (!opts.emu) await emu.close();
    },
  };
}

/**
 * Calls a write tool as a user who agrees to whatever the gate holds: a held result (its
 * confirm_token) is confirmed once. For set-ups that add more records than a zone's 10-minute
 * budget lets through unconfirmed (creates count, issue 21 point 5).
 */
export async function callAgreeing(h: Pick<Harness, 'call'>, name: string, args: Record<string, unknown>): Promise<CallResult> {
  const r = await h.call(name, args);
  const token = r.structured?.['confirm_token'];
  return typeof token === 'string' && r.structured?.['confirmation'] === 'required' ? h.call(name, { ...args, confirm_token: token }) : r;
}
