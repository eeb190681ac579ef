#!/usr/bin/env node
import { ConfigError } from './errors.js';
import { HELP, parseArgs } from './cli/args.js';
import { writeResult } from './cli/output.js';
import { loadConfig, type Config } from './config.js';
import { addSecret, log } from './log.js';
import { SERVER_VERSION, createServerFactory } from './server.js';
import { localActor } from './safety/scopes.js';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { createApiClient } from './api/client.js';
import { startupPermissions } from './safety/permissions.js';
import { checkBackupDir } from './safety/backup.js';
import { lazyLoopbackDesk } from './http/loopback-desk.js';
import { openJournal } from './history/state.js';
import { startTracing } from './telemetry/index.js';
import { openState } from './state/index.js';

const SECRET_SETTINGS = ['VPSORG_API_TOKEN', 'VPSORG_CONFIRM_SECRET', 'VPSORG_MCP_HTTP_KEY', 'VPSORG_METRICS_TOKEN', 'VPSORG_OAUTH_CLIENT_SECRET', 'VPSORG_STATE_URL', 'VPSORG_MCP_TOKEN'];

/** Reads the secrets once and takes them out of the environment, so no child process or dump sees them. */
function takeSecrets(env: NodeJS.ProcessEnv): void {
  for (const key of SECRET_SETTINGS) {
    addSecret(env[key]);
  }
}

// The plain stdio server is what clients start most: it is imported statically, so the bundle
// holds it in one place; everything else (HTTP, sandbox, emulator, CLI) is loaded on demand.
async function serveStdioServer(loaded: Config, env: NodeJS.ProcessEnv): Promise<void> {
  // OpenTelemetry only when OTEL_EXPORTER_OTLP_ENDPOINT is set: its code is a chunk this start does not load otherwise.
  await startTracing(env, SERVER_VERSION);
  if (loaded.backupDir) await checkBackupDir(loaded.backupDir);
  // Before the first client message: the key that makes yesterday's receipts good today.
  const config = await openJournal(loaded);
  const api = createApiClient({ baseUrl: config.apiUrl, token: config.token, timeoutMs: config.timeoutMs });
  const permissions = await startupPermissions(config, api);
  // Approval pages (URL-mode elicitation) on loopback, started on first use; its listener never holds the process open.
  // The embedded state store unless VPSORG_STATE_URL names a shared one (its code is loaded only then).
  const state = config.stateUrl ? await openState(config.stateUrl) : undefined;
  serveStdio(createServerFactory(config, { api, permissions, approvals: lazyLoopbackDesk(), actor: localActor('stdio'), ...(state ? { state } : {}) }), { onerror: (e) => log.error(`transport: ${e.message}`) });
  if (!config.token) log.warn('VPSORG_API_TOKEN is not set: tools are listed, and each API call explains how to set it (or run with --sandbox).');
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  // Asked-for output goes to stdout (`vpsorg-dns-mcp --help | less`); only the server keeps it for the protocol.
  if (args.command === 'help' || args.command === 'version') {
    await writeResult(args.command === 'help' ? HELP : SERVER_VERSION);
    return;
  }
  if (args.command === 'emulator') {
    const { runEmulatorCli } = await import('./cli/commands.js');
    await runEmulatorCli(args.rest);
    return;
  }
  takeSecrets(process.env);
  // Everything below reads this copy; the real environment loses the secrets at once.
  const env = { ...process.env };
  for (const key of SECRET_SETTINGS) delete process.env[key];
  if (args.command === 'call') {
    const { runCall } = await import('./cli/commands.js');
    // Exit at once: an idle keep-alive connection to the API must not hold a script up.
    process.exit(await runCall(args.rest, env));
  }
  if (args.command === 'acme') {
    const { runAcmeCli } = await import('./cli/commands.js');
    process.exit(await runAcmeCli(args.rest, env));
  }
  if (args.command === 'journal') {
    const { runJournalCommand } = await import('./cli/commands.js');
    process.exit(await runJournalCommand(args.rest, env));
  }
  if (args.command === 'plan' || args.command === 'apply' || args.command === 'export') {
    const { runPlanCommand, runApplyCommand, runExportCommand } = await import('./cli/commands.js');
    const run = { plan: runPlanCommand, apply: runApplyCommand, export: runExportCommand }[args.command];
    process.exit(await run(args.rest, env));
  }
  if (args.command === 'tools') {
    const { runToolsCommand } = await import('./cli/commands.js');
    process.exit(await runToolsCommand(args.rest, env));
  }
  if (args.sandbox || args.http) {
    const { serveExtended } = await import('./cli/commands.js');
    await serveExtended(args, env);
    process.exit(0);
  }
  await serveStdioServer(loadConfig({ ...env, ...args.env }), env);
}

main(process.argv.slice(2)).catch(async (err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`vpsorg-dns-mcp: ${err.message}\n`);
    process.exit(2);
  }
  const { startupErrorLine } = await import('./cli/startup-error.js');
  const line = startupErrorLine(err);
  if (line) {
    process.stderr.write(`vpsorg-dns-mcp: ${line}\n`);
    process.exit(2);
  }
  // One line; the stack only when asked for (VPSORG_LOG_LEVEL=debug).
  log.error(err instanceof Error ? err.message : String(err));
  if (err instanceof Error && err.stack) log.debug(err.stack);
  process.exit(1);
});
