/** Who asked, as the journal keeps it: one key per caller (for filtering), one label (for people). */
import type { Actor } from '../safety/scopes.js';

/** One caller, however many clients it uses: a token's issuer and subject, else the local user, else the channel. */
export function actorKey(a: Actor): string {
  return a.channel === 'oauth' ? `oauth ${a.iss ?? ''} ${a.sub ?? ''}` : a.user ? `local ${a.user}` : a.channel;
}

export function sameActor(a: Actor | undefined, b: Actor): boolean {
  return a !== undefined && actorKey(a) === actorKey(b);
}

export function actorLabel(a: Actor): string {
  if (a.channel === 'oauth') return `${a.sub ?? '(no subject)'} (oauth${a.client_id && a.client_id !== a.sub ? `, client ${a.client_id}` : ''})`;
  return a.user ? `${a.user} (${a.channel})` : a.channel;
}
