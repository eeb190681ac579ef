/**
 * An undo asks for the same kind of confirmation as the change it takes back. A person's decision
 * stays a person's: a change a person confirmed (MCP App, approval page, form) is undone only with a
 * person's confirmation, whatever the mode; one confirmed with a confirm_token, or made through
 * another channel than the one asking (the CLI, another HTTP key), is held for confirmation. What
 * the change had is read from its signed receipt (`via`), so neither the model nor the journal file
 * can claim less.
 */
import type { Channel } from './channel.js';
import type { Effect, EffectCode } from './effect.js';
import type { GateState } from './gate-types.js';

/** How a change was made: the client's transport and HTTP key id, and what confirmed it, if it was held. */
export interface Provenance {
  transport?: string;
  key_id?: string;
  confirmed?: Channel;
}

/** A hold a caller adds to what the changes do: the undo of a confirmed change (see above). */
export interface Hold {
  code: Extract<EffectCode, 'undo_person' | 'undo_held'>;
  why: string;
}

/** The confirmation channel a signed value of this purpose stands for. */
export const CHANNEL_OF = { confirm: 'token', elicit: 'form', url: 'url', app: 'app' } as const satisfies Record<string, Channel>;

const PERSON: Record<Exclude<Channel, 'token'>, string> = { app: 'in the MCP App view', url: 'on the approval page', form: 'in the confirmation form' };

const channelText = (p: Provenance) => `${p.transport ?? 'unknown'}${p.key_id ? ` ${p.key_id}` : ''}`;

/** The hold an undo of `original` needs when `caller` asks; null when it needs none beyond its own effects. Receipts from before `via` existed: none. */
export function undoHold(original: Provenance | undefined, caller: Pick<Provenance, 'transport' | 'key_id'> | undefined): Hold | null {
  if (!original) return null;
  const c = original.confirmed;
  if (c && c !== 'token') return { code: 'undo_person', why: `undoes a change a person confirmed ${PERSON[c]}: only a person may take it back` };
  if (c === 'token') return { code: 'undo_held', why: 'undoes a change that was confirmed (confirm_token): taking it back is confirmed the same way' };
  if (caller?.transport !== original.transport || (caller?.key_id ?? '') !== (original.key_id ?? '')) {
    return { code: 'undo_held', why: `undoes a change made through another channel (${channelText(original)}, not ${channelText(caller ?? {})})` };
  }
  return null;
}

/** The effect with the hold added: it then needs confirmation, for the hold's reason too. */
export function withHold(e: Effect, hold: Hold | undefined): Effect {
  if (!hold || e.codes.includes(hold.code)) return e;
  return { ...e, codes: [...e.codes, hold.code], reasons: [...e.reasons, hold.why], needsConfirmation: true };
}

/** A gate state whose approval view carries the hold (for gated operations that build their own view, like delete_zone). */
export function heldState<T>(s: GateState<T>, hold: Hold | undefined): GateState<T> {
  if (!hold || s.view.risk.codes.includes(hold.code)) return s;
  return { ...s, view: { ...s.view, risk: { ...s.view.risk, codes: [...s.view.risk.codes, hold.code], reasons: [...s.view.risk.reasons, hold.why] } } };
}
