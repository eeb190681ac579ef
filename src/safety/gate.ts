/**
 * The confirmation gate every destructive call goes through. Without a confirmation it changes
 * nothing and returns the preview; it executes only when a person approved (a form, an approval
 * page, an MCP App view) or a token from a preview is presented, and only if the live state still
 * matches what was shown. channel.ts decides which of these may confirm this change.
 */
import { UserError, ValidationError } from '../errors.js';
import type { ToolOutcome, ToolSuccess } from '../tool-shapes.js';
import { argsDigest, claimedPurpose, confirmKey, digest, signToken, verifyState, verifyToken, type TokenPayload } from './confirm.js';
import { processSpentTokens, spentId } from './spent-tokens.js';
import { CHANNEL_OF, heldState } from './undo-hold.js';
import { readOnlyRefusal, refusal } from './refusals.js';
import { writeBackup } from './backup.js';
import { CONFIRM_KEY, CONFIRM_SCHEMA, awaitingText, declinedText, elicitMessage, missingPermissionText, pageWaitingText, snapshotText, tokenInstructions, urlMessage } from './gate-text.js';
import { log } from '../log.js';
import { allowedChannels, chooseChannel, tokenRefused } from './channel.js';
import { needsDistinctApprover } from './approver.js';
import type { ApprovalDesk, Outcome } from './approval-desk.js';
import { missingPermissions } from './permissions.js';
import { effectScope, requireScope } from './scopes.js';
import type { GateContext, GateFields, GateOptions, GateSpec, GateState } from './gate-types.js';
import { APP_APPROVAL_META_KEY } from './gate-types.js';
import { SNAPSHOT_JSON } from './gate-text.js';
import { fit, fitLines } from '../domain/fit.js';
import type { ApprovalView } from './approval-view.js';
import { gateDecision } from '../telemetry/index.js';

export { gateOut } from './gate-types.js';
export type { GateContext, GateFields, GateOptions, GateSpec, GateState } from './gate-types.js';
export type { ApprovalView } from './approval-view.js';

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

/**
 * The confirmations (their nonces) whose change is running in this process. The digest check in
 * execute refuses a confirmation replayed after its change, but two calls presenting the same one
 * at once (a double-clicked Approve, a client or model sending it twice) would both read the state
 * before either wrote: the second is refused while the first runs.
 */
const running = new Set<string>();

/** The confirmation being used: the signed text as given (the spent-token store keeps a hash of it) and its verified payload. */
interface Used {
  text: string;
  payload: TokenPayload;
}

async function execute<T>(ctx: GateContext, spec: GateSpec<T>, state: GateState<T>, how: 'confirmed_by_token' | 'confirmed_by_user', now: number, used: Used): Promise<Out<T>> {
  const field = how === 'confirmed_by_token' ? 'confirm_token' : ctx.appApproval !== undefined ? 'approval' : 'requestState';
  const nonce = used.payload.n;
  if (running.has(nonce)) throw refusal('in_progress', field);
  running.add(nonce);
  const spent = ctx.spentTokens ?? ctx.state?.spent ?? processSpentTokens;
  const id = spentId(used.text);
  try {
    if (await spent.isSpent(id, now)) throw refusal('used', field);
    return await executeOnce(ctx, spec, state, how, now, field, async () => {
      if (!(await spent.spend(id, used.payload.exp, now))) throw refusal('used', field);
      // The receipt and journal entry say which channel confirmed it: its undo asks for the same (undo-hold.ts).
      if (ctx.history && used.payload.p in CHANNEL_OF) ctx.history.confirmed = CHANNEL_OF[used.payload.p as keyof typeof CHANNEL_OF];
    });
  } finally {
    running.delete(nonce);
  }
}

/** `spend` marks the confirmation used once the last check passed, just before the write: it confirms nothing again, even if the write fails. */
async function executeOnce<T>(ctx: GateContext, spec: GateSpec<T>, state: GateState<T>, how: 'confirmed_by_token' | 'confirmed_by_user', now: number, field: string, spend: () => Promise<void>): Promise<Out<T>> {
  let backupFile: string | undefined;
  if (state.snapshot && ctx.config.backupDir) backupFile = await writeBackup(ctx.config.backupDir, state.snapshot.zone, spec.op, state.snapshot.text, new Date(now));
  // Read once more just before the write: a record added while the snapshot was written (or
  // since the confirming read) is not silently deleted; the confirmed digest must still hold.
  const last = await readLive(spec, field);
  if (digest(last.digestInput) !== digest(state.digestInput)) throw refusal('state_changed', field);
  await spend();
  let res: ToolSuccess<T>;
  try {
    res = await spec.execute(last);
  } catch (err) {
    if (!state.snapshot) throw err;
    // The snapshot must survive a failure part-way, or a partly deleted zone could be lost.
    const base = err instanceof UserError ? err : new UserError(`${spec.op} failed: ${err instanceof Error ? err.message : String(err)}`, { code: 'failed', cause: err });
    const where = backupFile ? `The snapshot taken before the attempt is in ${backupFile}.` : 'The snapshot taken before the attempt is in details.snapshot.';
    throw new UserError(base.message, {
      quoted: base.quoted,
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

/** The result of a call a person said no to (or let expire): the preview, and nothing changed. */
function notConfirmed<T>(s: GateState<T>, how: 'declined' | 'cancelled' | 'expired'): Out<T> {
  return withGate(s.preview, { confirmation: how, ...snapshotFields(s) }, [declinedText(how)]);
}

/** The page's news of the outcome is a courtesy: a store that fails now must not turn a done change into an error. */
async function reportQuietly(desk: ApprovalDesk, key: string, outcome: Outcome): Promise<void> {
  await desk.report(key, outcome).catch((err: unknown) => log.warn(`approval page: the outcome was not recorded: ${err instanceof Error ? err.message : String(err)}`));
}

/**
 * A round that answers an earlier request of this call: the form's answer, or the retry of a URL
 * approval. The echoed state is untrusted: it must be ours, for this call, and its purpose picks
 * the channel; the decision itself comes from the form's answer or from the approval desk's store.
 */
async function answered<T>(ctx: GateContext, spec: GateSpec<T>, key: Buffer, args: string, now: () => number, waitMs = ctx.inlineWaitS === undefined ? undefined : ctx.inlineWaitS * 1000): Promise<Out<T>> {
  const purpose = claimedPurpose(ctx.requestState ?? '') === 'url' ? 'url' : 'elicit';
  const payload = verifyToken(key, ctx.requestState ?? '', { purpose, op: spec.op, args }, now());
  const answer = answerOf(ctx.inputResponses);
  if (purpose === 'elicit') {
    if (answer.confirmed) {
      const s = await readLive(spec, 'requestState');
      verifyState(payload, digest(s.digestInput), 'requestState');
      return execute(ctx, spec, s, 'confirmed_by_user', now(), { text: ctx.requestState ?? '', payload });
    }
    return notConfirmed(await spec.readState(), answer.action === 'cancel' || answer.action === 'missing' ? 'cancelled' : 'declined');
  }
  const desk = ctx.approvals;
  if (!desk) throw refusal('unknown_approval', 'requestState');
  // The client's answer only says whether the person agreed to open the page; the click decides.
  if (answer.action === 'decline' || answer.action === 'cancel') {
    await desk.cancel(payload.n);
    return notConfirmed(await spec.readState(), answer.action === 'cancel' ? 'cancelled' : 'declined');
  }
  const decision = await desk.wait(payload.n, waitMs, ctx.signal);
  if (decision === 'unknown') throw refusal('unknown_approval', 'requestState');
  if (decision === 'pending') {
    const url = await desk.url(payload.n);
    if (!url) throw refusal('unknown_approval', 'requestState');
    // Still open after the longest wait a client tolerates: ask again once with the same page and state.
    if ((await desk.remind(payload.n)) === 1) return { inputRequired: { key: CONFIRM_KEY, message: 'Still waiting for your decision on the approval page: open it to approve or decline.', url, requestState: ctx.requestState ?? '' } };
    // A client that accepted twice without a click is not showing the page (the Python SDK declares
    // URL elicitation whenever an elicitation callback is set): hand the model the preview and where
    // the approval waits, instead of holding the call until it expires. The page stays open.
    await desk.park(payload.n);
    log.warn(`approval page for ${spec.op}: the client did not open it; it waits for a person at ${url} until ${new Date(payload.exp).toISOString()}`);
    const s = await spec.readState();
    return withGate(s.preview, { confirmation: 'awaiting_approval', expires_at: new Date(payload.exp).toISOString(), ...snapshotFields(s) }, [s.snapshot ? snapshotText(s.snapshot) : '', pageWaitingText(spec.op, new Date(payload.exp).toISOString())]);
  }
  if (decision !== 'approved') return notConfirmed(await spec.readState(), decision);
  try {
    const s = await readLive(spec, 'requestState');
    verifyState(payload, digest(s.digestInput), 'requestState');
    // The second person who approved (VPSORG_REQUIRE_DISTINCT_APPROVER) goes into the journal entry beside who asked.
    const by = await desk.decidedBy(payload.n);
    if (by && ctx.history) ctx.history.approver = by;
    const out = await execute(ctx, spec, s, 'confirmed_by_user', now(), { text: ctx.requestState ?? '', payload });
    await reportQuietly(desk, payload.n, { applied: true, text: 'The change was applied, exactly as this page showed it.' });
    return out;
  } catch (err) {
    await reportQuietly(desk, payload.n, { applied: false, text: `It did not complete: ${err instanceof Error ? err.message : String(err)}` });
    throw err;
  }
}

/**
 * The approval view as the plan view gets it: bounded like any result (the changes that fit
 * LIST_JSON, called-out ones first; `total` still counts them all), without the snapshot, which
 * the result carries already (snapshotFields).
 */
function boundedView(view: ApprovalView): ApprovalView {
  const { snapshot: _snapshot, changes, ...rest } = view;
  return { ...rest, changes: fit(changes, { json: (c) => c }).items };
}

/**
 * Runs a destructive operation behind the gate (see the module comment). Reusable: the caller
 * supplies how to read the state it would change and how to execute it. Which channel asks the
 * person is decided in channel.ts, from the settings, the change's effects and the client.
 */
export async function runGated<T>(ctx: GateContext, given: GateSpec<T>, opts: GateOptions = {}): Promise<Out<T>> {
  const spec = ctx.hold ? { ...given, readState: async () => heldState(await given.readState(), ctx.hold) } : given;
  // Observed once per call (src/telemetry): the effects of the last state read, and what became of the call.
  let effects: readonly string[] = [];
  const seen: GateSpec<T> = {
    ...spec,
    async readState() {
      const s = await spec.readState();
      effects = s.view.risk.codes;
      // Every read of the state decides the OAuth scope from what the change would do (scopes.ts).
      requireScope(ctx.caller, effectScope(s.permissions ?? []));
      return s;
    },
  };
  try {
    const out = await gated(ctx, seen, opts);
    gateDecision(effects, 'inputRequired' in out ? 'input_required' : ((out as { structured?: { confirmation?: string } }).structured?.confirmation ?? 'unknown'));
    return out;
  } catch (err) {
    gateDecision(effects, 'refused');
    throw err;
  }
}

async function gated<T>(ctx: GateContext, spec: GateSpec<T>, opts: GateOptions): Promise<Out<T>> {
  const now = opts.now ?? Date.now;
  const key = confirmKey(ctx.config.confirmSecret);
  const args = argsDigest(spec.args);
  const token = spec.args['confirm_token'];
  const dryRun = spec.args['dry_run'] === true;
  const codes = (s: GateState<T>) => s.view.risk.codes;

  // Read-only servers never register a gated tool; this catches any other path (a CLI, a new transport).
  if (ctx.config.readOnly && !dryRun) {
    throw readOnlyRefusal(spec.op);
  }
  if (dryRun && (token !== undefined || ctx.appApproval !== undefined)) {
    throw new ValidationError([{ field: 'confirm_token', rule: 'exclusive', message: 'dry_run: true only previews; leave out confirm_token, or leave out dry_run to go ahead' }]);
  }
  if (dryRun) {
    const s = await spec.readState();
    const missing = await missingPermissions(ctx.api, s.permissions ?? []);
    const lacks = missing.length ? { missing_permissions: missing } : {};
    return withGate(s.preview, { confirmation: 'dry_run', ...lacks, ...snapshotFields(s) }, [s.snapshot ? snapshotText(s.snapshot) : '', missing.length ? missingPermissionText(missing) : '', 'Dry run: nothing was changed.']);
  }
  if (typeof token === 'string') {
    if (ctx.config.confirmMode === 'elicit') throw tokenRefused(ctx.config, spec.op, []);
    const payload = verifyToken(key, token, { purpose: 'confirm', op: spec.op, args }, now());
    const s = await readLive(spec, 'confirm_token');
    // The token was issued under the same settings, but VPSORG_HUMAN_FOR may name what the state now holds.
    if (!allowedChannels(ctx.config, spec.op, codes(s)).includes('token')) throw tokenRefused(ctx.config, spec.op, codes(s));
    verifyState(payload, digest(s.digestInput), 'confirm_token');
    return execute(ctx, spec, s, 'confirmed_by_token', now(), { text: token, payload });
  }
  if (ctx.appApproval !== undefined) {
    // Only the app-only approve tool sets this, with what an MCP App view showed the person.
    const payload = verifyToken(key, ctx.appApproval, { purpose: 'app', op: spec.op, args }, now());
    const s = await readLive(spec, 'approval');
    verifyState(payload, digest(s.digestInput), 'approval');
    return execute(ctx, spec, s, 'confirmed_by_user', now(), { text: ctx.appApproval, payload });
  }
  // Token-only settings never ask a person, so an answer (forged or stale) is ignored: a fresh preview follows.
  const asks = ctx.config.confirmMode !== 'token' || ctx.config.humanFor.length > 0 || (ctx.config.requireDistinctApprover?.length ?? 0) > 0;
  if (asks && (ctx.requestState !== undefined || answerOf(ctx.inputResponses).action !== 'missing')) return answered(ctx, spec, key, args, now);

  const s = await spec.readState();
  const missing = await missingPermissions(ctx.api, s.permissions ?? []);
  if (missing.length) return withGate(s.preview, { confirmation: 'not_permitted', missing_permissions: missing, ...snapshotFields(s) }, [missingPermissionText(missing)]);
  const offers = { ...ctx.offers, url: ctx.offers.url && ctx.approvals !== undefined };
  const choice = chooseChannel(ctx.config, spec.op, codes(s), offers);
  if ('refusal' in choice) throw choice.refusal;
  const state = digest(s.digestInput);
  switch (choice.channel) {
    case 'form': {
      const signed = signToken(key, 'elicit', spec.op, args, state, now());
      return { inputRequired: { key: CONFIRM_KEY, message: elicitMessage(s.view, ctx.config.backupDir), requestedSchema: CONFIRM_SCHEMA, requestState: signed.token } };
    }
    case 'url': {
      const desk = ctx.approvals as ApprovalDesk;
      // The same change asked for again after its approval was handed back (parked): the person's decision on that page, without holding the call.
      // Found again only by the caller who asked: another caller's identical call is not theirs to run.
      const asker = ctx.caller?.actor;
      const binding = digest([spec.op, args, state, asker?.channel === 'oauth' ? [asker.iss ?? '', asker.sub ?? ''] : '']);
      const parked = await desk.parked(binding);
      if (parked) return answered({ ...ctx, requestState: parked.requestState, inputResponses: { [CONFIRM_KEY]: { action: 'accept' } } }, spec, key, args, now, 0);
      const signed = signToken(key, 'url', spec.op, args, state, now());
      const rule = { ...(asker ? { requester: asker } : {}), ...(needsDistinctApprover(ctx.config, spec.op, codes(s)) ? { distinct: true } : {}) };
      const url = await desk.open({ key: signed.nonce, view: s.view, expiresAt: Date.parse(signed.expiresAt), binding, requestState: signed.token, ...rule }, ctx.origin);
      return { inputRequired: { key: CONFIRM_KEY, message: urlMessage(s.view, signed.expiresAt), url, requestState: signed.token } };
    }
    case 'app': {
      // The view hands this to the app-only approve tool; the model has no tool that accepts it.
      // It travels in the result's _meta with the approval view, for the plan view (src/apps/view/plan.ts).
      const signed = signToken(key, 'app', spec.op, args, state, now());
      const out = withGate(s.preview, { confirmation: 'awaiting_approval', expires_at: signed.expiresAt, ...snapshotFields(s) }, [s.snapshot ? snapshotText(s.snapshot) : '', awaitingText()]);
      return { ...out, meta: { [APP_APPROVAL_META_KEY]: { tool: spec.op, approval: signed.token, expires_at: signed.expiresAt, view: boundedView(s.view) } } };
    }
    case 'token': {
      const signed = signToken(key, 'confirm', spec.op, args, state, now());
      return withGate(s.preview, { confirmation: 'required', confirm_token: signed.token, expires_at: signed.expiresAt, ...snapshotFields(s) }, [
        s.snapshot ? snapshotText(s.snapshot) : '',
        tokenInstructions(spec.op, signed.token, signed.expiresAt),
      ]);
    }
  }
}
