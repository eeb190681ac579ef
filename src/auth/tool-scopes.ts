/**
 * Scopes on the protocol: each tool's step-up challenge (the SDK answers a tools/call that needs
 * more with HTTP 403 insufficient_scope before the tool runs) and a tools/list that shows a caller
 * only what its scopes allow. Which scope a call needs is decided in src/safety/scopes.ts.
 */
import type { McpServer, ScopeChallenge, ScopeChallengeHandler } from '@modelcontextprotocol/server';
import type { ToolMeta } from '../tool-shapes.js';
import { challengeScopes, holds, toolScope, type Caller, type Scope } from '../safety/scopes.js';
import { callerOf } from './caller.js';

/** Runs a write call as a dry run for this caller and returns the scope its planned changes need beyond its own, if any. */
export type ScopeProbe = (args: Record<string, unknown>, caller: Caller) => Promise<Scope | null>;

/**
 * The tool's scope challenge: the tool's own least scope first; then, for a write by a caller
 * without dns.delete, a dry run of the call, so a call whose plan deletes is challenged for
 * dns.delete before it runs (the gate refuses it again at run time if the zone changed meanwhile).
 */
export function scopeChallenge(tool: Pick<ToolMeta, 'name' | 'hints' | 'permission'>, probe: ScopeProbe | undefined): ScopeChallengeHandler {
  return async ({ request, authInfo }): Promise<ScopeChallenge | undefined> => {
    if (!authInfo) return undefined;
    const caller = callerOf(authInfo, { channel: 'oauth' });
    const ask = (need: Scope): ScopeChallenge => ({ scopes: challengeScopes(authInfo.scopes, need) as [string, ...string[]], errorDescription: `${tool.name} needs the scope ${need}` });
    const need = toolScope(tool);
    if (!holds(caller, need)) return ask(need);
    if (!probe || need !== 'dns.write' || holds(caller, 'dns.delete')) return undefined;
    const args = request.params?.['arguments'];
    const more = await probe(args && typeof args === 'object' ? (args as Record<string, unknown>) : {}, caller);
    return more && !holds(caller, more) ? ask(more) : undefined;
  };
}

/** Leaves out of tools/list what this caller cannot call (a call to one still gets the step-up challenge). */
export function listOnlyAllowed(server: McpServer, caller: Caller, tools: ReadonlyArray<Pick<ToolMeta, 'name' | 'hints' | 'permission'>>): void {
  if (!caller.scopes) return;
  const hidden = new Set(tools.filter((t) => !holds(caller, toolScope(t))).map((t) => t.name));
  if (!hidden.size) return;
  const inner = server.server;
  const set = inner.setRequestHandler.bind(inner) as (method: string, ...rest: unknown[]) => void;
  (inner as { setRequestHandler: unknown }).setRequestHandler = (method: string, ...rest: unknown[]) => {
    const at = rest.findIndex((r) => typeof r === 'function');
    if (method !== 'tools/list' || at < 0) return set(method, ...rest);
    const handler = rest[at] as (...a: unknown[]) => Promise<{ tools: Array<{ name: string }> }>;
    rest[at] = async (...a: unknown[]) => {
      const res = await handler(...a);
      return { ...res, tools: res.tools.filter((t) => !hidden.has(t.name)) };
    };
    return set(method, ...rest);
  };
}
