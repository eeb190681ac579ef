/**
 * `vpsorg-dns-mcp call <tool> ...`: one tool from a shell, for runbooks and deploy scripts.
 * The same definitions and runTool as over MCP; the result is JSON on stdout, errors on stderr,
 * and the exit code says what happened (see EXIT).
 */
import { ConfigError } from '../errors.js';
import type { Env } from '../config.js';
import { ALL_TOOLS } from '../tools/index.js';
import { runTool, type RunResult } from '../tools/kit/run.js';
import type { ToolContext, ToolDef } from '../tools/kit/types.js';
import { lazyLoopbackDesk } from '../http/loopback-desk.js';
import { applyGlobalFlag, emptyArgs, HELP, splitFlag, type ParsedArgs } from './args.js';
import { parseToolFlags, UsageError } from './coerce.js';
import { stderrProgress, type ProgressSink } from './context.js';
import { openSession, type CliSession } from './session.js';
import { inputSchema, renderToolList } from './describe.js';
import { writeDiagnostic, writeResult } from './output.js';
import { EXIT, report } from './report.js';
import { checkToolArgs } from './usage.js';
import { previewIn, servePreview } from './preview-wait.js';

interface CallRequest {
  tool: string;
  args: Record<string, unknown>;
  text: boolean;
  /** --approve-in-browser: a held change is approved on a one-time loopback page, in this one process. */
  browser: boolean;
  /** --server URL: call a running server over HTTP instead (token from VPSORG_MCP_TOKEN). */
  server: string | undefined;
  globals: ParsedArgs;
}

function parseCall(argv: string[]): CallRequest {
  const tool = argv[0];
  if (tool === undefined || tool.startsWith('-')) {
    throw new UsageError(`call needs a tool name first: vpsorg-dns-mcp call <tool> [--param value ...]. Tools: ${ALL_TOOLS.map((t) => t.name).join(', ')}.`);
  }
  const def = ALL_TOOLS.find((t) => t.name === tool);
  if (!def) throw new UsageError(`Unknown tool "${tool}". Tools: ${ALL_TOOLS.map((t) => t.name).join(', ')} (vpsorg-dns-mcp tools lists their parameters).`);
  const globals = emptyArgs();
  let json: Record<string, unknown> = {};
  let text = false;
  let browser = false;
  let server: string | undefined;
  const other = (list: string[], i: number): number => {
    const { flag, inline } = splitFlag(list[i] as string);
    if (flag === '--text') {
      text = true;
      return 1;
    }
    if (flag === '--approve-in-browser') {
      browser = true;
      return 1;
    }
    if (flag === '--server') {
      server = inline ?? list[i + 1];
      if (server === undefined) throw new UsageError('--server needs the MCP URL, e.g. --server https://dns-mcp.example.com/mcp');
      return inline === undefined ? 2 : 1;
    }
    if (flag === '--json') {
      const raw = inline ?? list[i + 1];
      if (raw === undefined) throw new UsageError('--json needs the arguments as a JSON object.');
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch (err) {
        throw new UsageError(`--json: not valid JSON (${(err as Error).message}).`);
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError('--json must be a JSON object of arguments, e.g. {"zone":"example.com"}.');
      json = parsed as Record<string, unknown>;
      return inline === undefined ? 2 : 1;
    }
    return applyGlobalFlag(globals, list, i);
  };
  const flags = parseToolFlags(argv.slice(1), inputSchema(def).properties ?? {}, other);
  // Flags win over --json, so a script can keep a base object and override one field.
  return { tool, args: { ...json, ...flags }, text, browser, server, globals };
}

/**
 * One call that a person approves in a browser: the gate offers this "client" URL mode, the page is
 * served on loopback, its URL goes to stderr, and the same call is made again as a client would
 * after opening it: it waits for the click (until the approval expires) and runs only on Approve.
 */
export async function approveInBrowser(def: ToolDef, args: Record<string, unknown>, base: ToolContext): Promise<RunResult> {
  const approvals = lazyLoopbackDesk();
  const ctx: ToolContext = { ...base, offers: { app: false, url: true, form: false }, approvals };
  try {
    const first = await runTool(def, args, ctx);
    if (!('inputRequired' in first) || !first.inputRequired.url) return first;
    writeDiagnostic(`${first.inputRequired.message}\nApprove or decline in your browser: ${first.inputRequired.url}\nWaiting for the decision...`);
    return await runTool(def, args, { ...ctx, inputResponses: { [first.inputRequired.key]: { action: 'accept' } }, requestState: first.inputRequired.requestState });
  } finally {
    await approvals.close();
  }
}

/** Runs `call`; returns the exit code. Never throws for a usage or tool error. */
export interface CallOptions {
  /** Where progress goes (default: a status line on stderr when it is a terminal). */
  progress?: ProgressSink;
}

export async function runCall(argv: string[], env: Env, opts: CallOptions = {}): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    const def = ALL_TOOLS.find((t) => t.name === argv[0]);
    await writeResult(def ? `${def.description}\n\n${renderToolList([def])}` : HELP);
    return EXIT.ok;
  }
  let req: CallRequest;
  try {
    req = parseCall(argv);
  } catch (err) {
    if (err instanceof ConfigError) {
      writeDiagnostic(`vpsorg-dns-mcp call: ${err.message}`);
      return EXIT.usage;
    }
    throw err;
  }
  const progress = opts.progress ?? stderrProgress();
  if (req.server !== undefined) {
    try {
      const { callRemote } = await import('./remote.js');
      const r = await callRemote(req.server, env['VPSORG_MCP_TOKEN'], req.tool, req.args);
      const code = await report(r, req.text);
      const preview = previewIn(r);
      if (preview) await servePreview(preview, false);
      return code;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      writeDiagnostic(`vpsorg-dns-mcp call: ${err.message}`);
      return EXIT.usage;
    }
  }
  let session: CliSession | undefined;
  try {
    session = await openSession(req.globals, env, progress);
    const def = session.tools.find((t) => t.name === req.tool);
    if (!def) throw new UsageError(`${req.tool} is not available with this configuration. ${session.notes.join(' ')}`);
    checkToolArgs(def, req.args);
    const r = req.browser ? await approveInBrowser(def, req.args, session.ctx) : await runTool(def, req.args, session.ctx);
    progress.done();
    const code = await report(r, req.text);
    const preview = previewIn(r);
    if (preview) await servePreview(preview, true);
    return code;
  } catch (err) {
    progress.done();
    if (err instanceof ConfigError) {
      writeDiagnostic(`vpsorg-dns-mcp call: ${err.message}`);
      return EXIT.usage;
    }
    throw err;
  } finally {
    await session?.close();
  }
}
