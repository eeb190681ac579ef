/** The gate's public shapes: what a gated tool supplies and what the gate adds to its result. */
import * as z from 'zod';
import type { Config } from '../config.js';
import type { VpsApi } from '../api/types.js';
import type { ToolSuccess } from '../tool-shapes.js';
import type { ApprovalView } from './approval-view.js';
import type { Channel, ClientOffers } from './channel.js';
import type { Hold } from './undo-hold.js';
import type { ApprovalDesk } from './approval-desk.js';
import type { Actor, Caller } from './scopes.js';
import type { SpentTokens } from './spent-tokens.js';
import type { StateStore } from '../state/index.js';

/** Fields the gate adds to a gated tool's structuredContent: spread into its output schema. */
export const gateOut = {
  confirmation: z
    .enum(['required', 'awaiting_approval', 'dry_run', 'declined', 'cancelled', 'expired', 'confirmed_by_token', 'confirmed_by_user', 'not_permitted'])
    .describe('required: nothing changed; show the preview to the user and, if they agree, call again with confirm_token. awaiting_approval: nothing changed; the user approves or declines in a view the client shows them (no token for you to pass). dry_run: preview only. declined/cancelled/expired: the user said no, or did not answer in time; nothing changed. confirmed_by_*: the change ran. not_permitted: the API token lacks a permission the change needs (missing_permissions); nothing changed and no token is offered.'),
  missing_permissions: z.array(z.string()).optional().describe('Provider permissions this API token lacks for the change (from GET /account/me/).'),
  confirm_token: z.string().optional().describe('Present when confirmation is required: pass it back with the same arguments to go ahead. Bound to this exact call and state.'),
  expires_at: z.string().optional().describe('When confirm_token (or the approval) stops working (ISO 8601).'),
  snapshot: z.string().optional().describe('What is (or would be) deleted, as a BIND zone file: import it to restore.'),
  backup_file: z.string().optional().describe('Where the snapshot was written before the change ran (VPSORG_BACKUP_DIR).'),
  budget: z
    .object({
      used: z.number().describe('Records of this zone changed or removed in the current 10-minute window, this call included.'),
      limit: z.number().describe('How many may change in the window without confirmation.'),
      since: z.string().describe('When the window began (ISO 8601).'),
      budget_token: z.string().describe('Pass it as budget_token with the next write to this zone, so that any replica counts this window.'),
    })
    .optional()
    .describe("The zone's change budget after this call."),
};
/**
 * Where an awaiting_approval result carries the MCP App plan view's data: the result's `_meta`, which
 * hosts hand to the view, not to the model: `{ tool, approval, expires_at, view }` (view: ApprovalView).
 */
export const APP_APPROVAL_META_KEY = 'vpsorg-dns-mcp/approval';

export type GateFields = z.infer<z.ZodObject<typeof gateOut>>;

export interface GateState<T> {
  /** The exact state previewed (record uuids and contents); a digest of it is signed into the token. */
  digestInput: unknown;
  /** What the call would do, for the agent: tool-specific structured data and a text with the diff in a data block. */
  preview: ToolSuccess<T>;
  /** What a person approves (approval-view.ts): every channel renders this. */
  view: ApprovalView;
  /** Provider permissions the change needs (e.g. dns:delete); a token known to lack one is not offered a confirmation. */
  permissions?: string[];
  /** What would be deleted as zone-file text; kept (and written to VPSORG_BACKUP_DIR) before execute runs. */
  snapshot?: { zone: string; text: string };
}

export interface GateSpec<T> {
  /** The tool name; a token for one operation never confirms another. */
  op: string;
  /** The parsed arguments, including confirm_token and dry_run (the gate reads both and leaves them out of the binding). */
  args: Record<string, unknown>;
  /** Reads live state. Called on every round; a UserError with code not_found means the target is gone. */
  readState(): Promise<GateState<T>>;
  execute(state: GateState<T>): Promise<ToolSuccess<T>>;
}

export interface GateOptions {
  /** Injectable clock (tests); milliseconds since the epoch. */
  now?: () => number;
}

/** What the gate reads of a tool call's context (a ToolContext is one): settings and the human channels. */
export interface GateContext {
  config: Pick<Config, 'confirmSecret' | 'confirmMode' | 'humanFor' | 'readOnly' | 'backupDir' | 'nameservers'> & Partial<Pick<Config, 'requireDistinctApprover'>>;
  /** Answers to an earlier input request of this call (elicitation), untrusted. */
  inputResponses: Record<string, unknown> | undefined;
  /** The state echoed back by the client with those answers (untrusted: verify its signature). */
  requestState: string | undefined;
  /** What the client can show its person on this call (channel.ts picks among them). */
  offers: ClientOffers;
  /** Serves URL-mode approval pages; without it the url channel is not offered. */
  approvals?: ApprovalDesk;
  /** Where this request reached the server (HTTP: its Host), so an approval page is served under the same origin. */
  origin?: string;
  /** Set only by the app-only approve tool: the signed approval (purpose app) an MCP App view handed it. Untrusted: verified. */
  appApproval?: string;
  /** The longest this call may wait for a person's click (seconds); undefined: until the approval expires (the CLI). */
  inlineWaitS?: number;
  /** The call's cancel signal. */
  signal?: AbortSignal;
  /** A hold the caller adds to what the changes do (undo-hold.ts: undoing a confirmed change). */
  hold?: Hold;
  /** Set by runTool: the gate notes here which channel confirmed the change, for its receipt and journal entry. */
  history?: { confirmed?: Channel | undefined; approver?: Actor | undefined };
  /** What outlives a call (budget windows, used confirmations): src/state; default: this process's embedded store. */
  state?: StateStore;
  /** Where used confirmations are remembered, if not in `state` (tests). */
  spentTokens?: SpentTokens;
  /** Asked (cached) which permissions the API token has; without it none is assumed missing. */
  api?: Pick<VpsApi, 'whoami'>;
  /** Who is calling and with which OAuth scopes (scopes.ts); absent: not narrowed by scopes. */
  caller?: Caller;
}
