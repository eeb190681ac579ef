/**
 * Resume handles: a wait longer than a client lets one call run (VPSORG_MAX_INLINE_WAIT_S) ends
 * with a handle the next call passes back to continue the same wait. Stateless like confirm
 * tokens and keyed the same way (VPSORG_CONFIRM_SECRET, so any replica accepts another's), with a
 * key of its own derived from that key: a handle is never a confirm_token, nor the reverse.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { UserError } from '../errors.js';
import { confirmKey } from './confirm.js';

/** How long after the wait's own end a handle still resumes it (for one last check). */
export const RESUME_GRACE_MS = 15 * 60_000;
const VERSION = 1;

/** What a wait needs to continue: set by the tool that waits, opaque to the agent. */
export interface ResumeData {
  /** The operation that issued it: a handle from one tool does not resume another. */
  op: string;
  /** When the wait asked for ends (ms since the epoch). */
  deadline: number;
  /** The wait's expectations and target, as the tool recorded them. */
  wait: Record<string, unknown>;
}

interface Payload extends ResumeData {
  v: number;
  exp: number;
}

const subkey = (secret: string | undefined) => createHmac('sha256', confirmKey(secret)).update('vpsorg-dns-mcp resume-handle v1').digest();
const mac = (secret: string | undefined, body: string) => createHmac('sha256', subkey(secret)).update(body).digest();

export function signResume(secret: string | undefined, data: ResumeData): string {
  const payload: Payload = { v: VERSION, ...data, exp: data.deadline + RESUME_GRACE_MS };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(secret, body).toString('base64url')}`;
}

function refused(why: string): UserError {
  return new UserError(`The resume handle was refused: ${why}. Nothing was checked.`, {
    code: 'resume_refused',
    field: 'resume',
    hint: 'Pass the `resume` value exactly as the earlier result returned it, or start a new wait without `resume` (with wait_seconds).',
  });
}

/** Checks a handle's integrity, its operation and its age; returns what the wait needs to continue. */
export function openResume(secret: string | undefined, handle: string, op: string, now: number): ResumeData {
  const [body, sig, ...rest] = handle.trim().split('.');
  if (!body || !sig || rest.length || body.length > 200_000 || !/^[\w-]+$/.test(body) || !/^[\w-]+$/.test(sig)) throw refused('it is not one this server issued (malformed)');
  const want = mac(secret, body);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== want.length || !timingSafeEqual(given, want)) {
    throw refused('it failed its integrity check (altered, or signed with another key: replicas must share VPSORG_CONFIRM_SECRET)');
  }
  let p: Partial<Payload>;
  try {
    p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<Payload>;
  } catch {
    throw refused('it is not one this server issued (malformed)');
  }
  if (p.v !== VERSION || typeof p.op !== 'string' || typeof p.deadline !== 'number' || typeof p.exp !== 'number' || !p.wait || typeof p.wait !== 'object') throw refused('it is not one this server issued (malformed)');
  if (p.op !== op) throw refused(`it resumes ${p.op}, not ${op}`);
  if (p.exp <= now) throw refused(`it expired at ${new Date(p.exp).toISOString()} (a handle lasts until ${RESUME_GRACE_MS / 60_000} minutes after its wait ends)`);
  return { op: p.op, deadline: p.deadline, wait: p.wait };
}
