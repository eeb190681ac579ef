/**
 * OAuth scopes of an HTTP caller (issue 23), decided like confirmation: from what a call does to
 * DNS, not from which tool asks. `dns.read` ⊂ `dns.write` ⊂ `dns.delete` (holding one grants those
 * below it); `dns.approve` stands apart (approving and seeing everyone's changes). A caller with no
 * scopes at all (stdio, the CLI, the static HTTP key) is not narrowed here: the server's own
 * settings (read-only, toolsets, allowed zones) still apply to everyone, and scopes only narrow.
 */
import { userInfo } from 'node:os';
import { UserError } from '../errors.js';
import type { ToolMeta } from '../tool-shapes.js';

export const SCOPES = ['dns.read', 'dns.write', 'dns.delete', 'dns.approve'] as const;
export type Scope = (typeof SCOPES)[number];
const LADDER: readonly Scope[] = ['dns.read', 'dns.write', 'dns.delete'];

/** Who asked, as the journal and receipts record it (never a secret). */
export interface Actor {
  /** oauth: a verified token; static-key: the shared HTTP key; stdio/cli: the local user; none: --no-http-auth. */
  channel: 'oauth' | 'static-key' | 'stdio' | 'cli' | 'none';
  iss?: string;
  sub?: string;
  client_id?: string;
  /** The local user (stdio, CLI). */
  user?: string;
}

/** The local user (stdio, the CLI): who asked, where there is no sign-in. */
export function localActor(channel: 'stdio' | 'cli'): Actor {
  try {
    return { channel, user: userInfo().username };
  } catch {
    return { channel };
  }
}

export interface Caller {
  actor: Actor;
  /** The scopes granted, with those they imply; null: not narrowed by scopes (no OAuth). */
  scopes: ReadonlySet<Scope> | null;
  /** The zones a claim grants (auth/caller.ts narrows VPSORG_ALLOWED_ZONES with them); null: no claim mapping. */
  zones?: readonly string[] | null;
}

/** The granted scopes and those below them on the ladder; unknown scopes are dropped. */
export function effectiveScopes(granted: readonly string[]): Set<Scope> {
  const out = new Set<Scope>();
  for (const g of granted) {
    const i = LADDER.indexOf(g as Scope);
    if (i >= 0) LADDER.slice(0, i + 1).forEach((s) => out.add(s));
    else if (g === 'dns.approve') out.add(g);
  }
  return out;
}

export const holds = (caller: Caller | undefined, need: Scope): boolean => !caller?.scopes || caller.scopes.has(need);

/**
 * The least a tool needs to be called at all, from what it can do: a read-only tool reads; a tool
 * whose every call deletes (its provider permission is dns:delete) deletes; any other write writes.
 * Whether a write's planned changes delete is decided per call (effectScope).
 */
export function toolScope(t: Pick<ToolMeta, 'hints' | 'permission'>): Scope {
  if (t.hints.readOnlyHint) return 'dns.read';
  return t.permission === 'dns:delete' ? 'dns.delete' : 'dns.write';
}

/** What a planned change needs, from the provider permissions its changes need (effect.ts): any delete needs dns.delete. */
export function effectScope(permissions: readonly string[]): Scope {
  return permissions.includes('dns:delete') ? 'dns.delete' : 'dns.write';
}

/** The scopes to ask for in a step-up challenge: what the caller holds and what it needs, in one list (MCP spec: existing ∪ required). */
export function challengeScopes(granted: readonly string[], need: Scope): string[] {
  return [...new Set([...granted, need])];
}

export class ScopeError extends UserError {
  constructor(readonly need: Scope, granted: readonly string[]) {
    super(`This call needs the OAuth scope ${need}, which your token does not carry (it has ${granted.join(' ') || 'none'}). Nothing was changed.`, {
      code: 'insufficient_scope',
      hint: `Sign in again asking for ${challengeScopes(granted, need).join(' ')}, or ask an administrator to grant ${need}.`,
      details: { required_scopes: challengeScopes(granted, need) },
    });
  }
}

/** Throws ScopeError when an OAuth caller lacks `need`. */
export function requireScope(caller: Caller | undefined, need: Scope): void {
  if (!holds(caller, need)) throw new ScopeError(need, [...(caller?.scopes ?? [])]);
}
