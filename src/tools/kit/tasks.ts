/**
 * The Tasks extension (io.modelcontextprotocol/tasks, revision 2026-07-28) for waits: where the
 * client declares it on a call, a check_propagation wait that is not over after its first round
 * becomes a task instead of an inline wait with a resume handle. The task id is the signed call
 * that continues the wait (safety/task-id.ts), so tasks/get works on any replica; each tasks/get
 * runs one more round of the same wait (no work runs between polls). What is kept in memory is
 * bounded and only saves work or remembers a cancel: polls closer together than the interval get
 * the last answer, a settled task keeps its result until it expires, a cancelled id is refused.
 * With a shared state store (VPSORG_STATE_URL) cancels and settled results are also kept there,
 * so a task cancelled or finished through one replica reads so on every other.
 */
import { openTaskId, signTaskId, UnknownTaskError, type TaskCall } from '../../safety/task-id.js';
import { RESUME_GRACE_MS } from '../../safety/resume.js';
import type { RunResult } from './run.js';
import type { TaskState } from '../../state/index.js';

export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';
/** Suggested time between tasks/get: a round asks every nameserver, so about one round per poll. */
export const TASK_POLL_MS = 2000;
/** Tools whose wait continues through `resume` (with zone), and so can run as a task. */
const WAITING_TOOLS = new Set(['check_propagation']);
/** In-memory bounds: settled/working answers kept, their total size, cancelled ids remembered. */
export const TASK_LIMITS = { entries: 256, bytes: 8 * 1024 * 1024, cancelled: 4096 };

export type CallResult = { content: Array<{ type: 'text'; text: string }>; structuredContent?: Record<string, unknown>; isError?: boolean; _meta?: Record<string, unknown> };
export type TaskStatus = 'working' | 'completed' | 'cancelled';
/** A Task of the extension, as tasks/get returns it (and CreateTaskResult, with status working). */
export interface TaskView {
  taskId: string;
  status: TaskStatus;
  statusMessage?: string;
  createdAt: string;
  lastUpdatedAt: string;
  ttlMs: number;
  pollIntervalMs: number;
  result?: CallResult & { resultType: 'complete' };
}

/** Does a request's client capabilities object declare the extension? */
export function declaresTasks(caps: unknown): boolean {
  const ext = (caps as { extensions?: Record<string, unknown> } | undefined)?.extensions?.[TASKS_EXTENSION];
  return ext !== null && typeof ext === 'object';
}

export function canRunAsTask(tool: string): boolean {
  return WAITING_TOOLS.has(tool);
}

const firstLine = (text: string) => (text.split('\n')[0] ?? '').slice(0, 300);

/** The task for a result whose wait is not over (it carries a `resume` handle); undefined otherwise. */
export function taskOf(secret: string | undefined, tool: string, args: Record<string, unknown>, r: RunResult, now: number): TaskView | undefined {
  if (!canRunAsTask(tool) || r.isError || !('structured' in r)) return undefined;
  const resume = r.structured['resume'];
  const until = Date.parse(String(r.structured['resume_until']));
  if (typeof resume !== 'string' || !Number.isFinite(until)) return undefined;
  const call: TaskCall = { tool, args: { zone: args['zone'], resume }, created: now, expires: until + RESUME_GRACE_MS };
  return view(signTaskId(secret, call), call, 'working', now, firstLine(r.text));
}

function view(taskId: string, call: TaskCall, status: TaskStatus, now: number, statusMessage?: string, result?: CallResult): TaskView {
  return {
    taskId,
    status,
    ...(statusMessage ? { statusMessage } : {}),
    createdAt: new Date(call.created).toISOString(),
    lastUpdatedAt: new Date(now).toISOString(),
    ttlMs: call.expires - call.created,
    pollIntervalMs: TASK_POLL_MS,
    // The result as tools/call would have answered it on 2026-07-28, discriminator included.
    ...(result ? { result: { resultType: 'complete', ...result } } : {}),
  };
}

const cancelledView = (taskId: string, call: TaskCall, now: number) => view(taskId, call, 'cancelled', now, 'Cancelled at the client\'s request; nothing further was checked.');

/** One more round of a task's wait: its result, and whether the wait is over. */
export type TaskPoll = (call: TaskCall) => Promise<{ result: CallResult; done: boolean; message: string }>;

interface Kept {
  view: TaskView;
  at: number;
  expires: number;
  bytes: number;
}

/** One process's memory of tasks: bounded in count, size and time (see the module comment). */
export class TaskBook {
  private kept = new Map<string, Kept>();
  private bytes = 0;
  private cancelled = new Map<string, number>();
  private running = new Map<string, Promise<TaskView>>();

  constructor(
    private secret: string | undefined,
    private clock: () => number = Date.now,
    private shared?: TaskState,
  ) {}

  /** What the shared store says; a store that does not answer says nothing (a poll is a read: it keeps working). */
  private async fromShared<T>(ask: (t: TaskState) => Promise<T>): Promise<T | undefined> {
    if (!this.shared) return undefined;
    try {
      return await ask(this.shared);
    } catch {
      return undefined;
    }
  }

  /** The task's state now: one more round of its wait (`poll`) unless a recent answer or its end is known. */
  async get(taskId: string, poll: TaskPoll): Promise<TaskView> {
    const now = this.clock();
    const call = openTaskId(this.secret, taskId, now);
    this.sweep(now);
    // A cancel through another replica counts at once, even over an answer kept here.
    if (this.cancelled.has(taskId) || (await this.fromShared((t) => t.cancelled(taskId, now)))) return cancelledView(taskId, call, now);
    const kept = this.kept.get(taskId);
    if (kept && (kept.view.status !== 'working' || now - kept.at < TASK_POLL_MS)) return kept.view;
    const settled = (await this.fromShared((t) => t.settled(taskId, now))) as TaskView | undefined;
    if (settled) return settled;
    // Concurrent polls of one task share one round.
    const inflight = this.running.get(taskId);
    if (inflight) return inflight;
    const p = poll(call)
      .then(async ({ result, done, message }) => {
        const v = view(taskId, call, done ? 'completed' : 'working', this.clock(), message, done ? result : undefined);
        if (!this.cancelled.has(taskId)) this.keep(taskId, v, call.expires);
        // Stored before the client hears "completed", so its next poll reads the result on any replica;
        // a store that fails now costs other replicas a round of their own, not this answer.
        if (done) await this.shared?.settle(taskId, v, call.expires, this.clock()).catch(() => undefined);
        return this.cancelled.has(taskId) ? view(taskId, call, 'cancelled', this.clock()) : v;
      })
      .finally(() => this.running.delete(taskId));
    this.running.set(taskId, p);
    return p;
  }

  /**
   * Acknowledges a cancel of a task this server issued (cooperative: polls stop; nothing runs
   * between them). An id that is not ours throws at once; the promise settles when the shared
   * store (if any) holds the cancel.
   */
  cancel(taskId: string): Promise<void> {
    const now = this.clock();
    const call = openTaskId(this.secret, taskId, now);
    this.sweep(now);
    this.drop(taskId);
    if (this.cancelled.size >= TASK_LIMITS.cancelled) this.cancelled.delete(this.cancelled.keys().next().value as string);
    this.cancelled.set(taskId, call.expires);
    return this.shared ? this.shared.cancel(taskId, call.expires, now) : Promise.resolve();
  }

  /** Checks that the id is one this server issued (tasks/update: no task here ever asks for input). */
  known(taskId: string): void {
    openTaskId(this.secret, taskId, this.clock());
  }

  get size(): { entries: number; bytes: number; cancelled: number } {
    return { entries: this.kept.size, bytes: this.bytes, cancelled: this.cancelled.size };
  }

  private keep(taskId: string, v: TaskView, expires: number): void {
    this.drop(taskId);
    const bytes = taskId.length + JSON.stringify(v).length;
    if (bytes > TASK_LIMITS.bytes / 4) return; // too large to keep: the next poll computes it again
    while (this.kept.size >= TASK_LIMITS.entries || this.bytes + bytes > TASK_LIMITS.bytes) this.drop(this.kept.keys().next().value as string);
    this.kept.set(taskId, { view: v, at: this.clock(), expires, bytes });
    this.bytes += bytes;
  }

  private drop(taskId: string): void {
    const k = this.kept.get(taskId);
    if (!k) return;
    this.bytes -= k.bytes;
    this.kept.delete(taskId);
  }

  private sweep(now: number): void {
    for (const [id, k] of this.kept) if (k.expires <= now) this.drop(id);
    for (const [id, exp] of this.cancelled) if (exp <= now) this.cancelled.delete(id);
  }
}

export { UnknownTaskError };
