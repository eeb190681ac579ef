import type { StateStore } from '../../state/index.js';
import type * as z from 'zod';
import { undoOut } from '../../history/record-call.js';
import type { Config } from '../../config.js';
import type { VpsApi } from '../../api/types.js';
import type { ZoneResolver } from './resolve.js';
import type { ClientInfo } from '../../history/journal.js';
import type { CallInfo } from '../../history/record-call.js';
import type { ProgressUpdate, ToolMeta, ToolOutcome } from '../../tool-shapes.js';
import type { ClientOffers } from '../../safety/channel.js';
import type { ApprovalDesk } from '../../safety/approval-desk.js';
import type { Caller } from '../../safety/scopes.js';
import type { SpentTokens } from '../../safety/spent-tokens.js';
import type { Hold } from '../../safety/undo-hold.js';
import type { PreviewBook } from '../../dns/preview-book.js';

export type { ProgressUpdate, ToolHints, ToolInputRequest, ToolMeta, ToolOutcome, ToolSuccess } from '../../tool-shapes.js';

/** What a handler may use. No SDK types: the same tools run under the MCP server and the CLI. */
export interface ToolContext {
  config: Config;
  api: VpsApi;
  zones: ZoneResolver;
  signal: AbortSignal;
  progress(update: ProgressUpdate): Promise<void>;
  /** Answers to an earlier input request of this call (elicitation), untrusted. */
  inputResponses: Record<string, unknown> | undefined;
  /** The state echoed back by the client with those answers (untrusted: verify its signature). */
  requestState: string | undefined;
  /** What the client can show its person on this call: an MCP App, a URL (approval page), a form. */
  offers: ClientOffers;
  /** Serves URL-mode approval pages (stdio: a loopback listener started on first use; --http: the transport's own). */
  approvals?: ApprovalDesk;
  /** Serves dry runs with preview: true on loopback (VPSORG_PREVIEW_DNS); absent: previews are off. */
  previews?: PreviewBook;
  /** HTTP: the origin this request reached (scheme, validated Host), for approval page URLs. */
  origin?: string;
  /** The tools this server offers this client (after toolsets, read-only and the permission filter); approve_plan runs no other. */
  exposed?: ReadonlySet<string>;
  /** Set by undo_change: the confirmation the change it takes back had (src/safety/undo-hold.ts). */
  hold?: Hold;
  /** What outlives a call: budget windows, used confirmations (src/state); default: this process's embedded store. */
  state?: StateStore;
  /** Where used confirmations are remembered, if not in `state` (tests). */
  spentTokens?: SpentTokens;
  /** Set only by the app-only approve tool (see src/safety/gate-types.ts). */
  appApproval?: string;
  /** Who is calling, for the change journal (never a secret). */
  client?: ClientInfo;
  /** The caller's identity and OAuth scopes (safety/scopes.ts); absent: not narrowed by scopes. */
  caller?: Caller;
  /** Set by runTool for write tools: what the journal entry of this call records beyond its writes (undo_change sets `undoes`; approve_plan names the tool it approved as `tool`). */
  history?: Pick<CallInfo, 'undoes' | 'partial' | 'confirmed' | 'approver'> & { tool?: string };
  /** W3C trace context the client sent in the request's `_meta` (untrusted; read only by src/telemetry). */
  trace?: { traceparent?: string; tracestate?: string };
  /** At most this many seconds of waiting inside one call (MCP clients give up); undefined: no cap (the CLI). */
  inlineWaitS?: number;
}

export interface ToolDef<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> extends ToolMeta {
  input: I;
  output: O;
  handler(args: z.infer<I>, ctx: ToolContext): Promise<ToolOutcome<z.infer<O>>>;
}

/**
 * Keeps each tool file's generic types checked while the list holds them uniformly. Every tool's
 * input is strict here, so a misspelt argument (`dryRun`) is refused rather than dropped (nested
 * objects are built with z.strictObject; a test checks every published schema). Every tool that
 * can change DNS declares the `undo` receipt runTool adds to its result.
 */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(def: ToolDef<I, O>): ToolDef {
  const output = def.hints.readOnlyHint ? def.output : def.output.extend({ undo: undoOut.optional() });
  return { ...def, input: def.input.strict(), output } as unknown as ToolDef;
}
