/**
 * Which channel confirms a held change: decided once, here, from the setting
 * (VPSORG_CONFIRM_MODE, VPSORG_HUMAN_FOR), what the change does (its effect codes) and which
 * operation it is, and what the client offers. Never from tool-specific code.
 *
 * A human channel is one the model cannot answer for: an MCP App view (the host shows it to the
 * person; its approve tool is hidden from the model), a URL-mode approval page (opened in the
 * person's browser), or a form elicitation (shown by the client). The token is the last resort:
 * the model reads it, so it protects against mistakes and stale previews, not against the model.
 */
import { ConfigError, UserError } from '../errors.js';
import { HUMAN_FOR_EFFECTS, type Config } from '../config.js';
import type { EffectCode } from './effect.js';
import { distinctReason, needsDistinctApprover, type DistinctPolicy } from './approver.js';

/** The settings that decide the channel. */
export type ChannelPolicy = Pick<Config, 'confirmMode' | 'humanFor'> & DistinctPolicy;

export type Channel = 'app' | 'url' | 'form' | 'token';

/** Where a person can approve when this client cannot ask them. */
const APPROVE_ELSEWHERE = (op: string) => `A person can approve it from a shell: vpsorg-dns-mcp call ${op} ... --approve-in-browser (prints a one-time approval page, waits for the click).`;

/** What the client can show its person on this call. */
export interface ClientOffers {
  /** Renders MCP Apps (io.modelcontextprotocol/ui) and calls app-only tools from them. */
  app: boolean;
  /** Declared URL-mode elicitation (opens a URL in the person's browser). */
  url: boolean;
  /** Declared form-mode elicitation. */
  form: boolean;
}

export const NO_OFFERS: ClientOffers = { app: false, url: false, form: false };

/** Strongest first; the token only where the mode allows it. */
const ORDER: readonly Channel[] = ['app', 'url', 'form', 'token'];
/** VPSORG_CONFIRM_MODE=form-first: the form before the page, for clients that declare URL elicitation but never open the page. */
const FORM_FIRST: readonly Channel[] = ['app', 'form', 'url', 'token'];

/** Whether this change may be confirmed only by a human channel: mode human, or VPSORG_HUMAN_FOR names its operation or one of its effects. */
export function needsHuman(config: ChannelPolicy, op: string, effects: readonly EffectCode[]): boolean {
  // A person's decision stays a person's (undo-hold.ts), whatever the mode.
  if (config.confirmMode === 'human' || effects.includes('undo_person') || needsDistinctApprover(config, op, effects)) return true;
  return config.humanFor.some((h) => h === op || (effects as readonly string[]).includes(h));
}

/** The channels allowed for a change, strongest first. */
export function allowedChannels(config: ChannelPolicy, op: string, effects: readonly EffectCode[]): Channel[] {
  // A second person signs in on the approval page: no other channel can tell who decides (approver.ts).
  if (needsDistinctApprover(config, op, effects)) return ['url'];
  if (config.confirmMode === 'token') return needsHuman(config, op, effects) ? ['app', 'url', 'form'] : ['token'];
  if (config.confirmMode === 'elicit') return ['form'];
  const order = config.confirmMode === 'form-first' ? FORM_FIRST : ORDER;
  return needsHuman(config, op, effects) ? order.filter((c) => c !== 'token') : [...order];
}

export type Choice = { channel: Channel } | { refusal: UserError };

/** The strongest allowed channel this client offers, or a refusal that says how to approve instead. */
export function chooseChannel(config: ChannelPolicy, op: string, effects: readonly EffectCode[], offers: ClientOffers): Choice {
  const allowed = allowedChannels(config, op, effects);
  const channel = allowed.find((c) => c === 'token' || offers[c]);
  if (channel) return { channel };
  if (needsDistinctApprover(config, op, effects)) {
    return {
      refusal: new UserError(`${op} needs a second person's approval on an approval page, and this client cannot open one (URL-mode elicitation): ${distinctReason(config, op, effects)}. Nothing was changed.`, {
        code: 'human_approval_unavailable',
        hint: 'Use an MCP client that supports URL elicitation: it shows the approval page\'s link, which you send to an approver (docs/team.md).',
      }),
    };
  }
  if (config.confirmMode === 'elicit') {
    return {
      refusal: new UserError('This client cannot show the confirmation form this server requires (VPSORG_CONFIRM_MODE=elicit). Nothing was changed.', {
        code: 'elicitation_unavailable',
        hint: 'Use a client that supports elicitation (form input), or ask the operator to set VPSORG_CONFIRM_MODE to auto.',
      }),
    };
  }
  return { refusal: humanRefusal(config, op, effects) };
}

/** Why the token is not enough here, in the setting's own words. */
function humanReason(config: ChannelPolicy, op: string, effects: readonly EffectCode[]): string {
  if (needsDistinctApprover(config, op, effects)) return distinctReason(config, op, effects);
  if (config.confirmMode === 'human') return 'this server accepts confirmations only from a person, through a channel the assistant cannot answer for (VPSORG_CONFIRM_MODE=human)';
  if (effects.includes('undo_person')) return 'it takes back a change a person confirmed, and only a person may undo that, through a channel the assistant cannot answer for';
  const named = config.humanFor.filter((h) => h === op || (effects as readonly string[]).includes(h));
  return `VPSORG_HUMAN_FOR=${config.humanFor.join(',')} requires a person to approve this change (${named.join(', ')}), through a channel the assistant cannot answer for`;
}

export function humanRefusal(config: ChannelPolicy, op: string, effects: readonly EffectCode[]): UserError {
  return new UserError(`${op} needs a person's approval, and this client offers no way to ask one: ${humanReason(config, op, effects)}. Nothing was changed.`, {
    code: 'human_approval_unavailable',
    hint: `${APPROVE_ELSEWHERE(op)} Or use an MCP client that supports elicitation (a form or URL) or MCP Apps.`,
  });
}

/** A confirm_token presented where only a human may confirm. */
export function tokenRefused(config: ChannelPolicy, op: string, effects: readonly EffectCode[]): UserError {
  const why = config.confirmMode === 'elicit' ? 'this server confirms only through a form shown to the user (VPSORG_CONFIRM_MODE=elicit)' : humanReason(config, op, effects);
  return new UserError(`confirm_token is not accepted here: ${why}. Nothing was changed.`, {
    code: 'confirmation_refused',
    field: 'confirm_token',
    hint: `Call again without confirm_token, from a client that can ask the person (elicitation or MCP Apps). ${APPROVE_ELSEWHERE(op)}`,
  });
}

/** Refuses, at start, a VPSORG_HUMAN_FOR (or VPSORG_REQUIRE_DISTINCT_APPROVER) entry that names no known operation or effect: a typo must not silently weaken the setting. */
export function checkHumanFor(humanFor: readonly string[], ops: readonly string[], key = 'VPSORG_HUMAN_FOR'): void {
  const unknown = humanFor.filter((h) => !ops.includes(h) && !(HUMAN_FOR_EFFECTS as readonly string[]).includes(h));
  if (unknown.length) {
    throw new ConfigError(`${key}: unknown ${unknown.map((u) => `"${u}"`).join(', ')}. Name operations (${ops.join(', ')}) or effects (${HUMAN_FOR_EFFECTS.join(', ')}), e.g. delete_zone,ns.`);
  }
}
