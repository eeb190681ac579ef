/**
 * Task ids of the Tasks extension (io.modelcontextprotocol/tasks): the id is the task. It names
 * the tool and the arguments that continue its wait (a `resume` handle), signed like resume
 * handles and keyed the same way (VPSORG_CONFIRM_SECRET, so any replica serves tasks/get for a
 * task another created), with a key of its own: an id is never a resume handle or a token.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { UserError } from '../errors.js';
import { confirmKey } from './confirm.js';

const PREFIX = 'vt1';
/** Ids longer than this are refused unread (an id rides in the Mcp-Name header over HTTP). */
export const MAX_TASK_ID = 8192;

export interface TaskCall {
  tool: string;
  /** The arguments one poll calls the tool with (for check_propagation: zone and resume). */
  args: Record<string, unknown>;
  /** When the task was created and when it may be forgotten (ms since the epoch). */
  created: number;
  expires: number;
}

const subkey = (secret: string | undefined) => createHmac('sha256', confirmKey(secret)).update('vpsorg-dns-mcp task-id v1').digest();
const mac = (secret: string | undefined, body: string) => createHmac('sha256', subkey(secret)).update(body).digest();

export function signTaskId(secret: string | undefined, call: TaskCall): string {
  const body = Buffer.from(JSON.stringify(call)).toString('base64url');
  return `${PREFIX}.${body}.${mac(secret, body).toString('base64url')}`;
}

export class UnknownTaskError extends UserError {
  constructor(why: string) {
    super(`Unknown task: ${why}.`, { code: 'task_unknown', field: 'taskId', hint: 'Pass the taskId exactly as the tool call returned it; a task is kept until its ttlMs has passed. Start a new call for a new wait.' });
  }
}

/** Checks an id's integrity and age; returns the call it stands for. */
export function openTaskId(secret: string | undefined, id: string, now: number): TaskCall {
  const [prefix, body, sig, ...rest] = id.split('.');
  if (id.length > MAX_TASK_ID || prefix !== PREFIX || !body || !sig || rest.length || !/^[\w-]+$/.test(body) || !/^[\w-]+$/.test(sig)) throw new UnknownTaskError('this server did not issue it (malformed)');
  const want = mac(secret, body);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== want.length || !timingSafeEqual(given, want)) throw new UnknownTaskError('it failed its integrity check (altered, or issued with another key: replicas must share VPSORG_CONFIRM_SECRET)');
  let c: Partial<TaskCall>;
  try {
    c = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<TaskCall>;
  } catch {
    throw new UnknownTaskError('this server did not issue it (malformed)');
  }
  if (typeof c.tool !== 'string' || !c.args || typeof c.args !== 'object' || typeof c.created !== 'number' || typeof c.expires !== 'number') throw new UnknownTaskError('this server did not issue it (malformed)');
  if (c.expires <= now) throw new UnknownTaskError(`it expired at ${new Date(c.expires).toISOString()}`);
  return { tool: c.tool, args: c.args, created: c.created, expires: c.expires };
}
