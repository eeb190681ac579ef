import * as z from 'zod';
import { ProtocolError, ProtocolErrorCode, completable, type McpServer } from '@modelcontextprotocol/server';
import { log } from '../log.js';
import type { PromptDef, PromptEnv } from './types.js';

/** The prompts whose required tools are all registered: a prompt never sends the model to a missing tool. */
export function availablePrompts(defs: readonly PromptDef[], tools: ReadonlySet<string>): PromptDef[] {
  return defs.filter((d) => d.requires.every((t) => tools.has(t)));
}

function argsSchema(def: PromptDef, completeDomain: (prefix: string) => Promise<string[]>) {
  const shape = { ...def.args } as Record<string, z.ZodType>;
  const domain = shape['domain'];
  // completable() marks the schema object itself, so each registration gets its own copy.
  if (domain) shape['domain'] = completable(domain.describe(domain.description ?? ''), (v: unknown) => completeDomain(typeof v === 'string' ? v : ''));
  return z.strictObject(shape).superRefine((args, ctx) => {
    for (const p of def.check?.(args as never) ?? []) ctx.addIssue({ code: 'custom', path: [p.field], message: p.message });
  });
}

export function registerPrompts(server: McpServer, defs: readonly PromptDef[], tools: ReadonlySet<string>, completeDomain: (prefix: string) => Promise<string[]>): void {
  const offered = availablePrompts(defs, tools);
  if (!offered.length) return;
  server.server.registerCapabilities({ prompts: { listChanged: false } });
  const env: PromptEnv = { has: (t) => tools.has(t) };
  for (const def of offered) {
    server.registerPrompt(def.name, { title: def.title, description: def.description, argsSchema: argsSchema(def, completeDomain) }, (args) => {
      try {
        const messages = def.build(args as never, env);
        return { description: def.description, messages: messages.map((m) => ({ role: m.role, content: { type: 'text' as const, text: m.text } })) };
      } catch (err) {
        log.error(`prompt ${def.name}: ${err instanceof Error && err.stack ? err.stack : String(err)}`);
        throw new ProtocolError(ProtocolErrorCode.InternalError, `The ${def.name} prompt failed unexpectedly; try again, and report it if it persists.`);
      }
    });
  }
}
