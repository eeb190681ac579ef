/**
 * One reliability "world": the emulator on loopback, the real API client (short timeouts so
 * faults resolve fast), the real server, and a real v2 client over an in-memory pipe. Every
 * result and notification is scanned for the canary token the whole run uses.
 */
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { PERMISSIONS } from '../../../src/api/types.js';
import { createApiClient } from '../../../src/api/client.js';
import { loadConfig, type Env } from '../../../src/config.js';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import type { SeedRecord } from '../../../src/emulator/types.js';
import { DEMO_RECORDS } from '../../../src/emulator/demo.js';
import { createServerFactory, ERROR_META_KEY } from '../../../src/server.js';
import { CANARY, scan } from './recorder.js';

export interface ToolError {
  code: string;
  field?: string;
  hint?: string;
  details?: Record<string, unknown>;
}

export interface CallResult {
  isError: boolean;
  text: string;
  structured: Record<string, unknown> | undefined;
  /** The error as data (from the result's _meta), when the tool reported one. */
  error: ToolError | undefined;
  raw: unknown;
}

export interface SeedZone {
  domain: string;
  records: SeedRecord[];
}

export interface WorldOptions {
  zones?: SeedZone[];
  pageSize?: number | null;
  timeoutMs?: number;
  maxRetries?: number;
  maxRetryAfterMs?: number;
  env?: Env;
}

export interface World {
  emu: Emulator;
  client: Client;
  call(name: string, args?: Record<string, unknown>): Promise<CallResult>;
  notifications: unknown[];
  close(): Promise<void>;
}

export const DEMO_ZONE: SeedZone = { domain: 'example.com', records: DEMO_RECORDS };

export async function startWorld(opts: WorldOptions = {}): Promise<World> {
  const emu = await startEmulator({ seed: 'empty', tokens: [{ token: CANARY, permissions: [...PERMISSIONS] }], pageSize: opts.pageSize ?? null });
  for (const z of opts.zones ?? [DEMO_ZONE]) emu.store.addZone(z.domain, z.records);
  const config = loadConfig({ VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: CANARY, VPSORG_CONFIRM_MODE: 'token', ...opts.env });
  const api = createApiClient({
    baseUrl: config.apiUrl,
    token: config.token,
    timeoutMs: opts.timeoutMs ?? 250,
    retryBaseMs: 1,
    maxRetries: opts.maxRetries ?? 2,
    maxRetryAfterMs: opts.maxRetryAfterMs ?? 100,
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const handle = serveStdio(createServerFactory(config, { api }), { transport: serverSide });
  const client = new Client({ name: 'reliability', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  const notifications: unknown[] = [];
  client.fallbackNotificationHandler = async (n) => {
    notifications.push(n);
    scan(JSON.stringify(n), 'notification');
  };
  await client.connect(clientSide);
  // As real clients do: listing the tools makes the client check every structuredContent against its outputSchema.
  await client.listTools();
  return {
    emu,
    client,
    notifications,
    async call(name, args = {}) {
      const raw = (await client.callTool({ name, arguments: args })) as {
        isError?: boolean;
        content?: Array<{ type: string; text?: string }>;
        structuredContent?: Record<string, unknown>;
        _meta?: Record<string, unknown>;
      };
      scan(JSON.stringify(raw), `${name} result`);
      return {
        isError: raw.isError === true,
        text: (raw.content ?? []).map((c) => c.text ?? '').join('\n'),
        structured: raw.structuredContent,
        error: raw._meta?.[ERROR_META_KEY] as ToolError | undefined,
        raw,
      };
    },
    async close() {
      await client.close();
      await handle.close();
      await emu.close();
    },
  };
}
