/**
 * The Tasks extension's memory (src/tools/kit/tasks.ts): ids are signed calls, so nothing but saved
 * work and cancels is kept, and that is bounded in count, size and time.
 */
import { describe, expect, it } from 'vitest';
import { TASK_LIMITS, TASK_POLL_MS, TaskBook, declaresTasks, taskOf, type CallResult } from '../../src/tools/kit/tasks.js';
import { UnknownTaskError, openTaskId, signTaskId } from '../../src/safety/task-id.js';

const SECRET = 'unit-test-secret-0123456789';
const T0 = Date.parse('2027-01-15T08:00:00Z');

function fixture() {
  let now = T0;
  const book = new TaskBook(SECRET, () => now);
  let polls = 0;
  const id = (n = 0, ms = 600_000) => signTaskId(SECRET, { tool: 'check_propagation', args: { zone: 'example.com', resume: `r${n}` }, created: now, expires: now + ms });
  const poll = (done: boolean, text = 'x') => async () => {
    polls++;
    return { result: { content: [{ type: 'text' as const, text }] } as CallResult, done, message: `round ${polls}` };
  };
  return { book, id, poll, polls: () => polls, tick: (ms: number) => (now += ms) };
}

describe('task ids', () => {
  it('are the signed call: altered, foreign or expired ids are unknown tasks', () => {
    const call = { tool: 'check_propagation', args: { zone: 'example.com', resume: 'h' }, created: T0, expires: T0 + 1000 };
    const id = signTaskId(SECRET, call);
    expect(openTaskId(SECRET, id, T0)).toEqual(call);
    expect(() => openTaskId('another-secret-0123456789', id, T0)).toThrow(/integrity check/);
    expect(() => openTaskId(SECRET, id.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), T0)).toThrow(UnknownTaskError);
    expect(() => openTaskId(SECRET, id, T0 + 1000)).toThrow(/expired/);
    expect(() => openTaskId(SECRET, 'x'.repeat(10_000), T0)).toThrow(/malformed/);
  });

  it('a result becomes a task only when its wait goes on (it carries resume); the declaration is read from per-request capabilities', () => {
    const going = { isError: false as const, text: 'NOT propagated\nmore', structured: { resume: 'h', resume_until: new Date(T0 + 60_000).toISOString() } };
    const task = taskOf(SECRET, 'check_propagation', { zone: 'example.com', wait_seconds: 60 }, going, T0);
    expect(task).toMatchObject({ status: 'working', statusMessage: 'NOT propagated', pollIntervalMs: TASK_POLL_MS, createdAt: new Date(T0).toISOString() });
    expect(openTaskId(SECRET, task?.taskId as string, T0).args).toEqual({ zone: 'example.com', resume: 'h' });
    expect(taskOf(SECRET, 'check_propagation', {}, { isError: false, text: 'propagated', structured: {} }, T0)).toBeUndefined();
    expect(taskOf(SECRET, 'list_zones', {}, going, T0)).toBeUndefined();
    expect(declaresTasks({ extensions: { 'io.modelcontextprotocol/tasks': {} } })).toBe(true);
    expect(declaresTasks({ extensions: {} })).toBe(false);
    expect(declaresTasks(undefined)).toBe(false);
  });
});

describe('TaskBook', () => {
  it('one round per poll interval; concurrent polls share it; a settled task keeps its result', async () => {
    const f = fixture();
    const id = f.id();
    const [a, b] = await Promise.all([f.book.get(id, f.poll(false)), f.book.get(id, f.poll(false))]);
    expect(f.polls()).toBe(1);
    expect(a).toEqual(b);
    expect(a.status).toBe('working');
    expect((await f.book.get(id, f.poll(false))).status).toBe('working');
    expect(f.polls()).toBe(1);
    f.tick(TASK_POLL_MS);
    const done = await f.book.get(id, f.poll(true, 'final'));
    expect(done).toMatchObject({ status: 'completed', result: { resultType: 'complete', content: [{ type: 'text', text: 'final' }] } });
    f.tick(60_000);
    expect(await f.book.get(id, f.poll(false))).toEqual(done);
    expect(f.polls()).toBe(2);
  });

  it('a cancelled task reads cancelled and runs no more rounds', async () => {
    const f = fixture();
    const id = f.id();
    await f.book.get(id, f.poll(false));
    f.book.cancel(id);
    f.tick(TASK_POLL_MS * 3);
    expect((await f.book.get(id, f.poll(false))).status).toBe('cancelled');
    expect(f.polls()).toBe(1);
    expect(() => f.book.cancel('vt1.forged.id')).toThrow(UnknownTaskError);
  });

  it(`keeps at most ${TASK_LIMITS.entries} tasks, ${TASK_LIMITS.bytes} bytes and ${TASK_LIMITS.cancelled} cancels, and forgets what expired`, async () => {
    const f = fixture();
    for (let i = 0; i < TASK_LIMITS.entries + 50; i++) await f.book.get(f.id(i), f.poll(true));
    expect(f.book.size.entries).toBe(TASK_LIMITS.entries);
    const big = 'v'.repeat(1024 * 1024);
    for (let i = 0; i < 12; i++) await f.book.get(f.id(1000 + i), f.poll(true, big));
    expect(f.book.size.bytes).toBeLessThanOrEqual(TASK_LIMITS.bytes);
    for (let i = 0; i < TASK_LIMITS.cancelled + 10; i++) f.book.cancel(f.id(5000 + i));
    expect(f.book.size.cancelled).toBe(TASK_LIMITS.cancelled);
    f.tick(600_001);
    await expect(f.book.get(f.id(9999), f.poll(false))).resolves.toMatchObject({ status: 'working' });
    expect(f.book.size).toEqual({ entries: 1, bytes: expect.any(Number), cancelled: 0 });
  });
});
