/**
 * How the approval pages answer (approval-page.ts, and the approver's sign-in, approval-signin.ts):
 * the headers every page carries, and recording a decision, then telling the person what became of
 * the change.
 */
import type { ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { ApprovalStore, Decision, PageEntry } from '../safety/approval-desk.js';
import type { Actor } from '../safety/scopes.js';
import { PAGE_CSP, messagePage } from './approval-html.js';
import { log, redact } from '../log.js';

/** How long the answer to an Approve waits for the change's outcome before saying only "Approved". */
const OUTCOME_WAIT_MS = 10_000;

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': PAGE_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // same-origin, not no-referrer: with no-referrer Chromium posts the form with `Origin: null`, which the origin check must refuse.
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export function send(res: ServerResponse, status: number, html: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...HEADERS, ...extra });
  res.end(html);
}

export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const DONE: Record<Decision, [string, string]> = {
  approved: ['Approved', 'The change runs now, after the zone is checked once more against what this page showed. The result appears where the change was asked for. You can close this tab.'],
  declined: ['Declined', 'Nothing was changed. You can close this tab.'],
  expired: ['Expired', 'This approval expired; nothing was changed. Ask again for a fresh page.'],
};

/** Records the decision (`by`: the approver who signed in) and answers with what became of the change, if the call says so soon. */
export async function decideAndAnswer(store: ApprovalStore, entry: PageEntry, d: Decision, res: ServerResponse, by?: Actor): Promise<void> {
  if (entry.decided) return send(res, entry.decided === 'expired' ? 410 : 409, messagePage(...DONE[entry.decided]));
  // Recorded once, in the store every replica shares; the entry then says what holds (another post may have won the race, or it expired).
  await store.decide(entry, d, by);
  const final: Decision = (entry as { decided: Decision | null }).decided ?? 'expired';
  log.info(`approval page: ${final} (${entry.view.op} on ${entry.view.zone})${by?.sub ? ` by ${by.sub}` : ''}`);
  // The call waiting for this click (here or on another replica) runs the change now: tell the person what became of it.
  const outcome = final === 'approved' ? await store.outcome(entry, OUTCOME_WAIT_MS) : null;
  const page = outcome ? messagePage(outcome.applied ? 'Approved and applied' : 'Approved, but not completed', outcome.text) : messagePage(...DONE[final]);
  send(res, final === 'expired' ? 410 : 200, redact(page));
}
