/**
 * Serving with --sandbox and/or --http: everything beyond the plain stdio server, loaded only
 * when asked for so the common start-up stays small. Runs until stdin closes (stdio) or a
 * SIGINT/SIGTERM arrives, then closes every socket it opened.
 */
import { createHash, randomBytes } from 'node:crypto';
import { forSandbox, loadConfig, type Config, type Env } from '../config.js';
import { openJournal } from '../history/state.js';
import { createApiClient } from '../api/client.js';
import { addSecret, log } from '../log.js';
import { SERVER_VERSION, createServerFactory } from '../server.js';
import { localActor } from '../safety/scopes.js';
import { addObserver, startTracing } from '../telemetry/index.js';
import type { VpsApi } from '../api/types.js';
import type { OpsRoutes, ReadyCheck } from '../http/ops.js';
import { startupPermissions } from '../safety/permissions.js';
import { checkBackupDir } from '../safety/backup.js';
// Static, though this file loads on demand: the stdio start path imports it anyway, and a dynamic
// import here would split it into a chunk of its own that every start has to load.
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import type { Sandbox } from '../sandbox/index.js';
import type { ParsedArgs } from './args.js';
import { ApprovalStore, type ApprovalDesk } from '../safety/approval-desk.js';
import { lazyLoopbackDesk } from '../http/loopback-desk.js';
import { publicHostnames } from '../auth/public-url.js';
import { openState, type StateStore } from '../state/index.js';
import { selectTools } from '../safety/policy.js';
import { confirmKey } from '../safety/confirm.js';
import { TOOLS } from '../tools/kit/catalog.js';

function untilSignal(extra?: (stop: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    extra?.(stop);
  });
}

const list = (v: string | undefined) => v?.split(',').map((s) => s.trim()).filter(Boolean);

/** Names the HTTP access key in the journal without revealing it. */
const keyId = (key: string) => `sha256:${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;

/**
 * /readyz checks VPS.org (any answer to GET /account/me/ short of a failure: the token works and the
 * API is there); /metrics exists only with VPSORG_METRICS_TOKEN, and only then is prom-client loaded.
 */
async function opsRoutes(config: Config, api: VpsApi, state: StateStore): Promise<OpsRoutes> {
  const readiness: ReadyCheck[] = [{ name: 'vpsorg', check: () => api.whoami() }];
  // The embedded store is this process's memory: always there, so not a check of its own.
  if (state.kind !== 'embedded') readiness.push({ name: 'state', check: () => state.check() });
  if (!config.metricsToken) return { readiness };
  const { createMetrics } = await import('../telemetry/metrics.js');
  const metrics = createMetrics();
  addObserver(metrics.observer);
  return { readiness, metrics: { token: config.metricsToken, render: metrics.render } };
}

export async function serveExtended(args: ParsedArgs, env: Env): Promise<void> {
  const stopTracing = await startTracing(env, SERVER_VERSION);
  try {
    await serve(args, env);
  } finally {
    await stopTracing();
  }
}

async function serve(args: ParsedArgs, env: Env): Promise<void> {
  let sandbox: Sandbox | undefined;
  if (args.sandbox) {
    const { startSandbox, describeSandbox } = await import('../sandbox/index.js');
    sandbox = await startSandbox({ stateFile: args.stateFile, publishDelayMs: args.publishDelayMs, dnsPorts: args.dnsPorts });
    process.stderr.write(`${describeSandbox(sandbox, args.stateFile)}\n`);
  }
  try {
    const loaded = loadConfig({ ...env, ...args.env, ...sandbox?.env });
    if (loaded.backupDir) await checkBackupDir(loaded.backupDir);
    const config = await openJournal(sandbox ? forSandbox(loaded) : loaded);
    const api = createApiClient({ baseUrl: config.apiUrl, token: config.token, timeoutMs: config.timeoutMs });
    const permissions = await startupPermissions(config, api);
    const state = await openState(config.stateUrl);
    // Approvals live in the state store: with VPSORG_STATE_URL every replica sees and decides the same ones.
    const store = new ApprovalStore(Date.now, state.approvals);
    const desk = args.http ? undefined : lazyLoopbackDesk(store);
    const factory = (key: string | null | undefined, approvals: ApprovalDesk | undefined) =>
      createServerFactory(config, { api, permissions, transport: args.http ? { transport: 'http', ...(key ? { key_id: keyId(key) } : {}) } : { transport: 'stdio' }, ...(approvals ? { approvals } : {}), state, ...(args.http ? {} : { actor: localActor('stdio') }) });
    if (!config.token) log.warn('VPSORG_API_TOKEN is not set: tools are listed, and each API call explains how to set it (or run with --sandbox).');
    if (args.http) {
      const [{ httpSecurity }, { startHttpServer, DEFAULT_HTTP_PORT }, { routedDesk }] = await Promise.all([import('../http/guard.js'), import('../http/server.js'), import('../http/approval-page.js')]);
      const setup = config.auth.mode === 'oauth' ? await import('../auth/setup.js') : undefined;
      const oauth = setup?.oauthResource(config, selectTools(TOOLS, config).tools);
      // A second person signs in on the approval page (VPSORG_REQUIRE_DISTINCT_APPROVER; createServerFactory refused to start without OAuth).
      const approver = setup?.approverSignInFor(config);
      const signIn = approver ? (await import('../http/approval-signin.js')).pageSignIn(approver, config.publicUrl?.protocol === 'https:', confirmKey(config.confirmSecret)) : undefined;
      let key = oauth ? undefined : config.httpKey;
      // A sandbox needs no setup: make it a key for this run, shown once on stderr.
      if (!key && !oauth && sandbox && args.httpAuth) {
        key = randomBytes(24).toString('hex');
        process.stderr.write(`HTTP access key for this run (send Authorization: Bearer <key>): ${key}\n`);
      } else addSecret(key);
      // The public URL's host is one clients use: it needs no second mention in --allowed-hosts.
      const allowedHosts = [...(args.allowedHosts ?? list(env['VPSORG_MCP_ALLOWED_HOSTS']) ?? []), ...publicHostnames(config)];
      const security = httpSecurity({ host: args.host ?? '127.0.0.1', key, auth: args.httpAuth, allowedHosts, oauth: oauth !== undefined });
      // Approval pages are served by the same server, under the Host the MCP request came in on.
      let origin = '';
      const approvals = routedDesk(store, () => origin);
      const ops = await opsRoutes(config, api, state);
      const http = await startHttpServer({ factory: factory(security.key, approvals), security, port: args.port ?? DEFAULT_HTTP_PORT, approvals: store, address: config, ops, ...(oauth ? { oauth } : {}), ...(signIn ? { signIn } : {}) });
      origin = config.publicUrl?.origin ?? new URL(http.url).origin;
      const how = oauth ? ` (OAuth: resource ${config.publicUrl?.href}, metadata ${oauth.metadataUrl})` : security.key ? '' : ' without an access key (loopback only)';
      log.info(`MCP over Streamable HTTP (stateless) at ${http.url}${how}`);
      await untilSignal();
      await http.close();
      await state.close();
    } else {
      const handle = serveStdio(factory(undefined, desk), { onerror: (e) => log.error(`transport: ${e.message}`) });
      // The client closing stdin ends the session (MCP stdio binding); then the sandbox goes too.
      await untilSignal((stop) => {
        process.stdin.once('end', stop);
        process.stdin.once('close', stop);
      });
      await handle.close();
      await desk?.close();
    }
  } finally {
    await sandbox?.close();
  }
}
