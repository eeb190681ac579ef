/**
 * The set-up of the OAuth end-to-end tests (test/e2e/oauth*.test.ts): the emulator, a real
 * authorization server (test/helpers/oidc.ts) that issues tokens for this server's MCP URL, and the
 * HTTP transport as a resource server of it, in this process, journaling into a temp directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, DEFAULT_TEST_TOKEN, type Emulator } from '../../src/emulator/index.js';
import { loadConfig, type Config, type Env } from '../../src/config.js';
import { createApiClient } from '../../src/api/client.js';
import { createServerFactory, type ServerDeps } from '../../src/server.js';
import { httpSecurity } from '../../src/http/guard.js';
import { startHttpServer, type HttpServerOptions, type RunningHttpServer } from '../../src/http/server.js';
import { oauthResource } from '../../src/auth/setup.js';
import { selectTools } from '../../src/safety/policy.js';
import { TOOLS } from '../../src/tools/kit/catalog.js';
import { startIssuer, type TestIssuer } from './oidc.js';
import { freePort } from './bind.js';

export interface OAuthServer {
  emu: Emulator;
  as: TestIssuer;
  http: RunningHttpServer;
  /** The MCP URL (VPSORG_PUBLIC_URL), the resource tokens are issued for. */
  mcp: string;
  config: Config;
  journal: string;
  /** Another server on `port` (0: any) with the same settings and parts, as a second replica. */
  serve(port: number): Promise<RunningHttpServer>;
  close(): Promise<void>;
}

export interface OAuthServerOptions {
  /** Settings beside the API, the issuer, the public URL and the journal. */
  env?: Env;
  /** The issuer knows this server's own client, with its approval page's callback as redirect URI. */
  approverSignIn?: boolean;
  /** What the server is given beside the API client (deps) and beside the OAuth resource (HTTP). */
  parts?: (config: Config) => { deps?: Partial<ServerDeps>; http?: Partial<HttpServerOptions> };
}

export async function startOAuthServer(opts: OAuthServerOptions = {}): Promise<OAuthServer> {
  const started: Array<{ close(): Promise<void> }> = [];
  const close = async () => {
    for (const s of started.reverse()) await s.close();
  };
  try {
    const emu = await startEmulator({ seed: 'empty' });
    started.push(emu);
    const port = await freePort();
    const mcp = `http://127.0.0.1:${port}/mcp`;
    const as = await startIssuer(opts.approverSignIn ? { approverRedirect: `http://127.0.0.1:${port}/approve/callback` } : {});
    started.push(as);
    as.resources.add(mcp);
    const journal = mkdtempSync(join(tmpdir(), 'vpsorg-oauth-'));
    started.push({ close: async () => rmSync(journal, { recursive: true, force: true }) });
    const config = loadConfig({ VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN, VPSORG_AUTH: 'oauth', VPSORG_OAUTH_ISSUER: as.issuer, VPSORG_PUBLIC_URL: mcp, VPSORG_JOURNAL_DIR: journal, ...opts.env });
    const api = createApiClient({ baseUrl: config.apiUrl, token: config.token, timeoutMs: 5000 });
    const parts = opts.parts?.(config) ?? {};
    const factory = createServerFactory(config, { api, transport: { transport: 'http' }, ...parts.deps });
    const oauth = oauthResource(config, selectTools(TOOLS, config).tools);
    const serve = async (at: number) => {
      const s = await startHttpServer({ factory, security: httpSecurity({ host: '127.0.0.1', key: undefined, auth: true, oauth: true }), port: at, oauth, address: config, ...parts.http });
      started.push(s);
      return s;
    };
    return { emu, as, http: await serve(port), mcp, config, journal, serve, close };
  } catch (err) {
    await close();
    throw err;
  }
}
