/**
 * What every one-shot CLI command that runs tools sets up (`call`, the ACME hooks): the sandbox
 * when asked for, the configuration, the tools this configuration exposes, and a ToolContext
 * whose signal aborts on Ctrl-C. `close` ends the sandbox.
 */
import { createHmac } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { forSandbox, loadConfig, type Config, type Env } from '../config.js';
import { openJournal } from '../history/state.js';
import { checkBackupDir } from '../safety/backup.js';
import { createApiClient } from '../api/client.js';
import { ALL_TOOLS } from '../tools/index.js';
import type { ToolContext, ToolDef } from '../tools/kit/types.js';
import { selectTools } from '../safety/policy.js';
import { checkHumanFor } from '../safety/channel.js';
import { gatedOperations } from '../safety/op-hold.js';
import { checkDistinctApprover } from '../safety/approver.js';
import { checkSandboxFlags, type ParsedArgs } from './args.js';
import { cliContext, type ProgressSink } from './context.js';
import { PreviewBook } from '../dns/preview-book.js';

export interface CliSession {
  config: Config;
  ctx: ToolContext;
  tools: ToolDef[];
  notes: string[];
  close(): Promise<void>;
}

/**
 * Each CLI run is its own process, so a per-process random key would make a confirm_token useless
 * to the second call. Without VPSORG_CONFIRM_SECRET the key beside the journal serves (openJournal);
 * where there is no journal either, the CLI keys tokens from the API token instead: whoever holds it can delete through the API directly anyway, so
 * this grants nothing new. Sandbox tokens change every run, so the sandbox uses a fixed key.
 */
function cliConfirmSecret(token: string | undefined, sandbox: boolean): string | undefined {
  if (sandbox) return 'vpsorg-dns-mcp sandbox confirm key';
  return token ? createHmac('sha256', token).update('vpsorg-dns-mcp cli confirm v1').digest('hex') : undefined;
}

export async function openSession(g: ParsedArgs, env: Env, progress: ProgressSink): Promise<CliSession> {
  const controller = new AbortController();
  // A zone-wide propagation check runs many queries on this one signal at once.
  setMaxListeners(0, controller.signal);
  const onSigint = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSigint);
  let sandbox: { env: Record<string, string>; close(): Promise<void> } | undefined;
  let previews: PreviewBook | undefined;
  const close = async () => {
    process.off('SIGINT', onSigint);
    await previews?.close();
    await sandbox?.close();
  };
  try {
    checkSandboxFlags(g);
    if (g.sandbox) {
      const { startSandbox } = await import('../sandbox/index.js');
      sandbox = await startSandbox({ stateFile: g.stateFile, publishDelayMs: g.publishDelayMs, dnsPorts: g.dnsPorts });
    }
    const base = loadConfig({ ...env, ...g.env, ...sandbox?.env });
    if (base.backupDir) await checkBackupDir(base.backupDir);
    const loaded = await openJournal(g.sandbox ? forSandbox(base) : base);
    // A shell's arguments and settings are the operator's own, not a model's: `--nameservers` may name any server.
    const config = { ...loaded, confirmSecret: loaded.confirmSecret ?? cliConfirmSecret(loaded.token, g.sandbox), allowPrivateNameservers: true };
    // As the server does at start: a VPSORG_HUMAN_FOR typo must not silently let a token confirm.
    const writeOps = gatedOperations(ALL_TOOLS);
    checkHumanFor(config.humanFor, writeOps);
    checkHumanFor(config.requireDistinctApprover, writeOps, 'VPSORG_REQUIRE_DISTINCT_APPROVER');
    // No one signs in here: a second person cannot be told apart from the one at the shell.
    checkDistinctApprover(config, 'cli');
    const { tools, notes } = selectTools(ALL_TOOLS, config);
    const api = createApiClient({ baseUrl: config.apiUrl, token: config.token, timeoutMs: config.timeoutMs });
    // A preview lives in this process: `call` serves it until it expires or Ctrl-C (cli/preview-wait.ts).
    previews = config.previewDns ? new PreviewBook(config.previewDns) : undefined;
    const ctx = cliContext(config, api, controller.signal, progress);
    return { config, ctx: previews ? { ...ctx, previews } : ctx, tools, notes, close };
  } catch (err) {
    await close();
    throw err;
  }
}
