import { UserError } from '../errors.js';

/** Why a confirmation was refused. Each has its own message, so the agent and its human know what to do. */
export type RefusalReason =
  | 'malformed'
  | 'forged'
  | 'wrong_purpose'
  | 'wrong_operation'
  | 'wrong_arguments'
  | 'expired'
  | 'state_changed'
  | 'target_gone'
  | 'unknown_approval'
  | 'in_progress'
  | 'not_held'
  | 'used';

export interface RefusalInfo {
  op?: string;
  issuedFor?: string;
  expiredAt?: string;
}

const FRESH_TOKEN = 'Call the tool again without confirm_token to get a fresh preview and token, show it to the user, and confirm again.';
const FRESH_FORM = 'Call the tool again (with no earlier answer or state) so that the user is asked afresh.';

function describe(reason: RefusalReason, what: string, info: RefusalInfo, fresh: string): { message: string; hint: string } {
  switch (reason) {
    case 'malformed':
      return { message: `${what} is not one this server issued (malformed).`, hint: `Pass the token exactly as it was returned. ${fresh}` };
    case 'forged':
      return {
        message: `${what} failed its integrity check: it was altered, or signed with another key (a server restarted without VPSORG_CONFIRM_SECRET issues new keys).`,
        hint: fresh,
      };
    case 'wrong_purpose':
      return { message: `${what} is a different kind of signed value and cannot confirm this.`, hint: fresh };
    case 'wrong_operation':
      return { message: `${what} was issued for ${info.issuedFor ?? 'another operation'}, not ${info.op ?? 'this one'}.`, hint: `A token confirms only the operation previewed. ${fresh}` };
    case 'wrong_arguments':
      return {
        message: `${what} was issued for other arguments (another target) of ${info.op ?? 'this operation'}: a token confirms only the exact call previewed.`,
        hint: 'Call again with exactly the arguments of the preview, or get a new preview for these arguments.',
      };
    case 'expired':
      return { message: `${what} expired${info.expiredAt ? ` at ${info.expiredAt}` : ''} (tokens last 5 minutes).`, hint: fresh };
    case 'state_changed':
      return {
        message: 'The records this call would change are no longer as previewed (a record was added, removed or edited): a confirmation covers only the state that was shown.',
        hint: fresh,
      };
    case 'unknown_approval':
      return {
        message: `${what} names no open approval: it was used or ended already, or it was kept in the memory of another server process (a replica or a restart without a shared VPSORG_STATE_URL).`,
        hint: `${fresh} Replicas share approvals only with VPSORG_STATE_URL (docs/team.md).`,
      };
    case 'in_progress':
      return {
        message: `${what} is confirming another call of this change right now: a confirmation runs the change once.`,
        hint: 'Wait for the result of the call already running. Nothing was sent by this one.',
      };
    case 'not_held':
      return {
        message: `${what} can only confirm a change this server holds for confirmation, and this call needs none as the zone is now: an approval never runs a write by another way.`,
        hint: 'Call the tool itself, without an approval.',
      };
    case 'used':
      return {
        message: `${what} was used already: it confirmed its change once, and confirms nothing again, even where the records are back as previewed.`,
        hint: fresh,
      };
    case 'target_gone':
      return {
        message: 'The target of this confirmation no longer exists: it was already deleted (a confirmation works once).',
        hint: 'List the zones or records to see the current state. Nothing was sent.',
      };
  }
}

/** A refusal of the gate: nothing was deleted, and the message says why. */
export function refusal(reason: RefusalReason, field: string, info: RefusalInfo = {}): UserError {
  const what = field === 'confirm_token' ? 'The confirm_token' : field === 'approval' ? 'The approval' : 'The confirmation state (requestState)';
  const { message, hint } = describe(reason, what, info, field === 'confirm_token' ? FRESH_TOKEN : FRESH_FORM);
  return new UserError(`Not confirmed, nothing was changed: ${message}`, { code: 'confirmation_refused', field, hint, details: { reason } });
}

/** A write on a read-only server (VPSORG_READ_ONLY): its tools are never registered; this stops any other path, held or not. */
export function readOnlyRefusal(op: string): UserError {
  return new UserError(`${op} changes DNS, and this server is read-only (VPSORG_READ_ONLY). Nothing was changed.`, { code: 'policy', hint: 'Ask the operator to turn off read-only mode.' });
}
