/**
 * The confirmation gate every destructive call goes through. Without a confirmation it changes
 * nothing and returns the preview; it executes only when a human confirmed (elicitation) or a
 * token from a preview is presented, and only if the live state still matches what was shown.
 */
import { UserError, ValidationError } from '../errors.js';
import type { ToolOutcome, ToolSuccess } from '../tool-shapes.js';
import { argsDigest, confirmKey, digest, signToken, verifyState, verifyToken, type TokenPayload } from './confirm.js';
import { refusal } from './refusals.js';
import { writeBackup } from './backup.js';
import { CONFIRM_KEY, CONFIRM_SCHEMA, declinedText, elicitMessage, missingPermissionText, snapshotText, tokenInstructions } from './gate-text.js';
import { missingPermissions } from './permissions.js';
import type { GateContext, GateFields, GateOptions, GateSpec, GateState } from './gate-types.js';
import { SNAPSHOT_JSON } from './gate-text.js';
import { fitLines } from '../domain/fit.js';

export { gateOut } from './gate-types.js';
export type { GateContext, GateFields, GateOptions, GateSpec, GateState } from './gate-types.js';
export type { GateSummary } from './gate-text.js';

type Out<T> = ToolOutcome<T & GateFields>;

function withGate<T>(res: ToolSuccess<T>, fields: GateFields, extraText: string[]): ToolSuccess<T & GateFields> {
  return { structured: { ...res.structured, ...fields }, text: [res.text, ...extraText].filter(Boolean).join('\n') };
}

/** The snapshot as the result carries it: whole when it fits the result budget, else its first lines (see snapshotText). */
function snapshotFields<T>(s: GateState<T>): { snapshot?: string } {
  return s.snapshot ? { snapshot: fitLines(s.snapshot.text, SNAPSHOT_JSON).text } : {};
}

/** Reads live state for a confirmation; a target that vanished is refused as such (a replay after success). */
async function readLive<T>(spec: GateSpec<T>, field: string): Promise<GateState<T>> {
  try {
    return await spec.readState();
  } catch (err) {
    if (err instanceof UserError && err.code === 'not_found') throw refusal('target_gone', field);
    throw err;
  }
}

async function execute<T>(ctx: GateContext, spec: GateSpec<T>, state: GateState<T>, how: 'confirmed_by_token' | 'confirmed_by_user', now: number): Promise<Out<T>> {
  const field = how === 'confirmed_by_token' ? 'confirm_token' : 'requestState';
  let backupFile: string | undefined;
  if (state.snapshot && ctx.config.backupDir) backupFile = await writeBackup(ctx.config.backupDir, state.snapshot.zone, spec.op, state.snapshot.text, new Date(now));
  // Read once more just before the write: a record added while the snapshot was written (or
  // since the confirming read) is not silently deleted; the confirmed digest must still hold.
  const last = await readLive(spec, field);
  if (digest(last.digestInput) !== digest(state.digestInput)) throw refusal('state_changed', field);
  let res: ToolSuccess<T>;
  try {
    res = await spec.execute(last);
  } catch (err) {
    if (!state.snapshot) throw err;
    // The snapshot must survive a failure part-way, or a partly deleted zone could be lost.
    const base = err instanceof UserError ? err : new UserError(`${spec.op} failed: ${err instanceof Error ? err.message : String(err)}`, { code: 'failed', cause: err });
    const where = backupFile ? `The snapshot taken before the attempt is in ${backupFile}.` : 'The snapshot taken before the attempt is in details.snapshot.';
    throw new UserError(base.message, {
      code: base.code,
      ...(base.field ? { field: base.field } : {}),
      hint: [base.hint, where].filter(Boolean).join(' '),
      details: { ...base.details, snapshot: state.snapshot.text, ...(backupFile ? { backup_file: backupFile } : {}) },
    });
  }
  const fields: GateFields = { confirmation: how, ...snapshotFields(state), ...(backupFile ? { backup_file: backupFile } : {}) };
  return withGate(res, fields, state.snapshot ? [snapshotText(state.snapshot, backupFile)] : []);
}

function answerOf(responses: Record<string, unknown> | undefined): { action: 'accept' | 'decline' | 'cancel' | 'missing'; confirmed: boolean } {
  const r = responses?.[CONFIRM_KEY] as { action?: unknown; content?: { confirm?: unknown } } | undefined;
  const action = r && typeof r === 'object' && (r.action === 'accept' || r.action === 'decline' || r.action === 'cancel') ? r.action : 'missing';
  return { action, confirmed: action === 'accept' && r?.content?.confirm === true };
}

/**
 * Runs a destructive operation behind the gate (see the module comment). Reusable: the caller
 * supplies how to read the state it would change and how to execute it.
 */
export async function runGated<T>(ctx: GateContext, spec: GateSpec<T>, opts: GateOptions = {}): Promise<Out<T>> {
  const now = opts.now ?? Date.now;
  const key = confirmKey(ctx.config.confirmSecret);
  const mode = ctx.config.confirmMode;
  const args = argsDigest(spec.args);
  const token = spec.args['confirm_token'];
  const dryRun = spec.args['dry_run'] === true;
  const bind = (p: TokenPayload, s: GateState<T>, field: string) => verifyState(p, digest(s.digestInput), field);

  // Read-only servers never register a gated tool; this catches any other path (a CLI, a new transport).
  if (ctx.config.readOnly && !dryRun) {
    throw new UserError(`${spec.op} changes DNS, and this server is read-only (VPSORG_READ_ONLY). Nothing was changed.`, { code: 'policy', hint: 'Ask the operator to turn off read-only mode.' });
  }
  if (dryRun && token !== undefined) {
    throw new ValidationError([{ field: 'confirm_token', rule: 'exclusive', message: 'dry_run: true only previews; leave out confirm_token, or leave out dry_run to go ahead' }]);
  }
  if (dryRun) {
    const s = await spec.readState();
    const missing = await missingPermissions(ctx.api, s.permissions ?? []);
    const lacks = missing.length ? { missing_permissions: missing } : {};
    return withGate(s.preview, { confirmation: 'dry_run', ...lacks, ...snapshotFields(s) }, [s.snapshot ? snapshotText(s.snapshot) : '', missing.length ? missingPermissionText(missing) : '', 'Dry run: nothing was changed.']);
  }
  if (typeof token === 'string') {
    if (mode === 'elicit') {
      throw new UserError('confirm_token is not accepted here: this server confirms only through a form shown to the user (VPSORG_CONFIRM_MODE=elicit). Nothing was changed.', {
        code: 'confirmation_refused',
        field: 'confirm_token',
        hint: 'Call again without confirm_token from a client that supports elicitation.',
      });
    }
    const payload = verifyToken(key, token, { purpose: 'confirm', op: spec.op, args }, now());
    const s = await readLive(spec, 'confirm_token');
    bind(payload, s, 'confirm_token');
    return execute(ctx, spec, s, 'confirmed_by_token', now());
  }
  if (mode === 'elicit' && !ctx.canElicit) {
    throw new UserError('This client cannot show the confirmation form this server requires (VPSORG_CONFIRM_MODE=elicit). Nothing was changed.', {
      code: 'elicitation_unavailable',
      hint: 'Use a client that supports elicitation (form input), or ask the operator to set VPSORG_CONFIRM_MODE to both or token.',
    });
  }
  const notPermitted = async (s: GateState<T>): Promise<Out<T> | null> => {
    const missing = await missingPermissions(ctx.api, s.permissions ?? []);
    if (!missing.length) return null;
    return withGate(s.preview, { confirmation: 'not_permitted', missing_permissions: missing, ...snapshotFields(s) }, [missingPermissionText(missing)]);
  };
  if (mode !== 'token' && ctx.canElicit) {
    const answer = answerOf(ctx.inputResponses);
    if (answer.action !== 'missing' || ctx.requestState !== undefined) {
      // The client's answer and its echoed state are untrusted: the state must be ours and for this call.
      const payload = verifyToken(key, ctx.requestState ?? '', { purpose: 'elicit', op: spec.op, args }, now());
      if (answer.confirmed) {
        const s = await readLive(spec, 'requestState');
        bind(payload, s, 'requestState');
        return execute(ctx, spec, s, 'confirmed_by_user', now());
      }
      const how = answer.action === 'cancel' || answer.action === 'missing' ? 'cancelled' : 'declined';
      const s = await spec.readState();
      return withGate(s.preview, { confirmation: how, ...snapshotFields(s) }, [declinedText(how)]);
    }
    const s = await spec.readState();
    const refused = await notPermitted(s);
    if (refused) return refused;
    const { token: state } = signToken(key, 'elicit', spec.op, args, digest(s.digestInput), now());
    return { inputRequired: { key: CONFIRM_KEY, message: elicitMessage(s.summary, ctx.config.backupDir), requestedSchema: CONFIRM_SCHEMA, requestState: state } };
  }
  const s = await spec.readState();
  const refused = await notPermitted(s);
  if (refused) return refused;
  const signed = signToken(key, 'confirm', spec.op, args, digest(s.digestInput), now());
  return withGate(s.preview, { confirmation: 'required', confirm_token: signed.token, expires_at: signed.expiresAt, ...snapshotFields(s) }, [
    s.snapshot ? snapshotText(s.snapshot) : '',
    tokenInstructions(spec.op, signed.token, signed.expiresAt),
  ]);
}
