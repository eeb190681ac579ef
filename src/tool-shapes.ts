/**
 * The shapes a tool's result and metadata take, shared by tools/ and the layers below it
 * (safety/ reads them and must not import tools/). No SDK types: the same shapes serve the MCP
 * server and the CLI.
 */
import type { Toolset } from './config.js';

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
  /** Data for an MCP App view, not for the model: sent in the result's `_meta` (e.g. the person's plan approval). */
  meta?: Record<string, unknown>;
}

/**
 * Asks the human through the client (elicitation); the transport layer maps it to the SDK's input
 * request. Exactly one of requestedSchema (a form) and url (URL mode: a page to open) is set.
 */
export interface ToolInputRequest {
  inputRequired: {
    key: string;
    message: string;
    /** A flat JSON object schema of primitive fields, as elicitation allows. */
    requestedSchema?: { type: 'object'; properties: Record<string, unknown>; required?: string[] };
    /** URL mode: the page the client opens in the person's browser. */
    url?: string;
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

/** What the server lists and the policy selects on, without the schemas or the handler. */
export interface ToolMeta {
  name: string;
  title: string;
  description: string;
  toolset: Toolset;
  /** The provider permission the tool needs (used to hide tools the token cannot use). */
  permission?: 'dns:list' | 'dns:create' | 'dns:update' | 'dns:delete';
  hints: ToolHints;
  /** In the curated `essential` toolset (VPSORG_TOOLSETS=essential): what everyday jobs need, in under 10 KB of tool list. */
  essential?: true;
  /**
   * An app-only tool (MCP Apps `_meta.ui.visibility: ["app"]`): called by a view, never offered to
   * the model by a conforming host. Lists the tools whose results it serves; it exists only with them.
   */
  appOnly?: readonly string[];
}
