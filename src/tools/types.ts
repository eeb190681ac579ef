import type * as z from 'zod';
import { undoOut } from '../history/record-call.js';
import type { Config, Toolset } from '../config.js';
import type { VpsApi } from '../api/types.js';
import type { ZoneResolver } from './resolve.js';
import type { ClientInfo } from '../history/journal.js';
import type { CallInfo } from '../history/record-call.js';

/** All four hints are always set explicitly: the spec's defaults treat a tool with none as destructive. */
export interface ToolHints {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** A successful result: structured data for programs, a short text rendering for the model. */
export interface ToolSuccess<T> {
  structured: T;
  text: string;
}

/** Asks the human through the client (elicitation); the transport layer maps it to the SDK's input request. */
export interface ToolInputRequest {
  inputRequired: {
    key: string;
    message: string;
    /** A flat JSON object schema of primitive fields, as elicitation allows. */
    requestedSchema: { type: 'object'; properties: Record<string, unknown>; required?: string[] };
    /** Opaque state the client echoes back; always signed by the server. */
    requestState: string;
  };
}

export type ToolOutcome<T> = ToolSuccess<T> | ToolInputRequest;

export interface ProgressUpdate {
  progress: number;
  total?: number;
  message?: string;
}

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
  /** Whether the client can show an elicitation form to its human on this connection. */
  canElicit: boolean;
  /** Who is calling, for the change journal (never a secret). */
  client?: ClientInfo;
  /** Set by runTool for write tools: what the journal entry of this call records beyond its writes (undo_change sets `undoes`). */
  history?: Pick<CallInfo, 'undoes' | 'partial'>;
}

export interface ToolDef<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  toolset: Toolset;
  /** The provider permission the tool needs (used to hide tools the token cannot use). */
  permission?: 'dns:list' | 'dns:create' | 'dns:update' | 'dns:delete';
  input: I;
  output: O;
  hints: ToolHints;
  handler(args: z.infer<I>, ctx: ToolContext): Promise<ToolOutcome<z.infer<O>>>;
}

/** What the server lists and the policy selects on, without the schemas or the handler. */
export type ToolMeta = Pick<ToolDef, 'name' | 'title' | 'description' | 'toolset' | 'permission' | 'hints'>;

/**
 * Keeps each tool file's generic types checked while the list holds them uniformly. Every tool
 * that can change DNS declares the `undo` receipt runTool adds to its result.
 */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(def: ToolDef<I, O>): ToolDef {
  const output = def.hints.readOnlyHint ? def.output : def.output.extend({ undo: undoOut.optional() });
  return { ...def, output } as unknown as ToolDef;
}
