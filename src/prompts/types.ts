import type * as z from 'zod';

/** One message of a prompt; the registration turns it into the SDK's text content. */
export interface PromptMessageDef {
  role: 'user' | 'assistant';
  text: string;
}

/** What a prompt may know about the server it runs on: which tools exist (modes and toolsets remove some). */
export interface PromptEnv {
  has(tool: string): boolean;
}

/** A problem with a combination of arguments (each field alone was valid). */
export interface ArgProblem {
  field: string;
  message: string;
}

/**
 * A prompt, free of SDK types like a tool. Prompt arguments arrive as strings (MCP prompts take
 * string arguments only), so each field schema parses its string into the typed value.
 */
export interface PromptDef<S extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  args: S;
  /** Rules across fields (e.g. `mx_hosts` is required when `provider` is custom). */
  check?(args: z.output<z.ZodObject<S>>): ArgProblem[];
  /** Tools the job cannot do without: the prompt is offered only when all are registered. */
  requires: readonly string[];
  build(args: z.output<z.ZodObject<S>>, env: PromptEnv): PromptMessageDef[];
}

/** Keeps each prompt's argument types checked while the list holds them uniformly. */
export function definePrompt<S extends z.ZodRawShape>(def: PromptDef<S>): PromptDef {
  return def as unknown as PromptDef;
}
