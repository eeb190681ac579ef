/**
 * Waiting for propagation without outliving the client: an MCP call waits inline at most
 * VPSORG_MAX_INLINE_WAIT_S (claude.ai gives up at 60 s, Claude Code at about 120 s), then returns
 * with a signed `resume` handle that a later call passes to continue the same wait with the same
 * expectations, on this process or another replica. The CLI has no such client and waits it all.
 * Shared by every tool that waits for DNS (check_propagation, and the ACME challenge tool).
 */
import { ValidationError } from '../../errors.js';
import { digest } from '../../safety/confirm.js';
import { openResume, signResume, type ResumeData } from '../../safety/resume.js';
import type { ToolContext } from './types.js';

/**
 * Time between polling rounds. Chosen from `npm run bench` (detection latency: from the slow
 * nameserver publishing a change to the check reporting it in sync; target publish + 0.5 s): a
 * round asks every server directly, so 400 ms keeps the median latency within the target.
 */
export const POLL_INTERVAL_MS = 400;

export interface WaitWindow {
  /** Seconds this call may poll. */
  inlineSeconds: number;
  /** When the whole wait ends (ms since the epoch); 0 when no wait was asked for. */
  deadline: number;
  /** The expectations of a resumed wait, as recorded by the call that started it. */
  resumed: ResumeData['wait'] | null;
}

/** How long this call polls: the wait asked for (or what is left of a resumed one), capped for MCP clients. */
export function waitWindow(ctx: Pick<ToolContext, 'config' | 'inlineWaitS'>, op: string, args: { wait_seconds?: number | undefined; resume?: string | undefined }): WaitWindow {
  const now = Date.now();
  let deadline = args.wait_seconds ? now + args.wait_seconds * 1000 : 0;
  let resumed: WaitWindow['resumed'] = null;
  if (args.resume !== undefined) {
    if (args.wait_seconds !== undefined) {
      throw new ValidationError([{ field: 'wait_seconds', rule: 'exclusive', message: 'resume continues the earlier wait until its own end: leave out wait_seconds (or leave out resume to start a new wait)' }]);
    }
    const data = openResume(ctx.config.confirmSecret, args.resume, op, now);
    deadline = data.deadline;
    resumed = data.wait;
  }
  const remaining = Math.max(0, (deadline - now) / 1000);
  const cap = ctx.inlineWaitS ?? Number.POSITIVE_INFINITY;
  return { inlineSeconds: Math.min(remaining, cap), deadline, resumed };
}

/** The handle to continue a wait that is not over; undefined when it is done or its time is up. */
export function resumeHandle(ctx: Pick<ToolContext, 'config'>, op: string, window: WaitWindow, done: boolean, wait: Record<string, unknown>): string | undefined {
  if (done || window.deadline - Date.now() < POLL_INTERVAL_MS) return undefined;
  return signResume(ctx.config.confirmSecret, { op, deadline: window.deadline, wait });
}

/** A digest of a wait's expectations, for those too large to carry in the handle (a whole zone). */
export const expectationsDigest = digest;

export function resumeText(op: string, handle: string, window: WaitWindow, elapsedMs: number): string {
  const until = new Date(window.deadline).toISOString();
  return [
    `Still waiting: not propagated after ${(elapsedMs / 1000).toFixed(1)} s in this call (each call waits at most VPSORG_MAX_INLINE_WAIT_S so the client does not give up).`,
    `To keep waiting until ${until} with the same expectations, call ${op} again with the same zone and resume: ${handle}`,
  ].join('\n');
}
