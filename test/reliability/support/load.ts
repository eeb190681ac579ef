/**
 * Concurrent calls whose answers can be told apart: call i creates record c<i> (or lists zone
 * z<i>), so a response delivered to the wrong request, or lost, is seen in its content.
 */
import { expect } from 'vitest';
import type { SeedZone } from './world.js';
import { tally } from './recorder.js';

export const N_CONCURRENT = 50;

/** The batches' tags; each create goes to a zone of its own, so no zone passes its per-zone change budget. */
const TAGS = ['stdio', 'sdk', 'http', 'httpsdk'];
export const createZoneOf = (tag: string, i: number) => `${tag}-c${i}.load.test`;

export const LOAD_ZONES: SeedZone[] = [
  ...Array.from({ length: 25 }, (_, i) => ({ domain: `z${i}.test`, records: [{ record_type: 'TXT', name: '@', value: `zone ${i}` }] })),
  ...TAGS.flatMap((tag) => Array.from({ length: N_CONCURRENT / 2 }, (_, k) => ({ domain: createZoneOf(tag, 2 * k), records: [{ record_type: 'A', name: '@', value: '192.0.2.1' }] }))),
];

export interface LoadCall {
  name: string;
  arguments: Record<string, unknown>;
}

/** Call i of a batch tagged `tag` (so several batches against one emulator never collide). */
export function loadCall(tag: string, i: number): LoadCall {
  if (i % 2 === 0) return { name: 'create_record', arguments: { zone: createZoneOf(tag, i), record_type: 'A', name: `${tag}-c${i}`, value: `192.0.2.${i + 10}` } };
  return { name: 'list_zones', arguments: { domain: `z${i % 25}.test` } };
}

interface ToolResultLike {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content?: Array<{ text?: string }>;
}

/** The result answers call i, and no other. */
export function expectAnswers(tag: string, i: number, res: ToolResultLike): void {
  try {
    answers(tag, i, res);
  } catch (err) {
    tally.mismatched_responses++;
    throw err;
  }
}

function answers(tag: string, i: number, res: ToolResultLike): void {
  const text = (res.content ?? []).map((c) => c.text ?? '').join('\n');
  expect(res.isError, `call ${i}: ${text}`).toBeFalsy();
  if (i % 2 === 0) {
    const changes = res.structuredContent?.['changes'] as Array<{ after?: { name: string; value: string } }>;
    expect(changes.map((c) => [c.after?.name, c.after?.value])).toEqual([[`${tag}-c${i}`, `192.0.2.${i + 10}`]]);
  } else {
    const zones = res.structuredContent?.['zones'] as Array<{ domain: string }>;
    expect(zones.map((z) => z.domain)).toEqual([`z${i % 25}.test`]);
  }
}

/** Each record of the batch exists exactly once. */
export function expectCreatedOnce(recordsOf: (zone: string) => Array<{ name: string }>, tag: string): void {
  for (let i = 0; i < N_CONCURRENT; i += 2) {
    expect(recordsOf(createZoneOf(tag, i)).filter((r) => r.name === `${tag}-c${i}`), `${tag}-c${i}`).toHaveLength(1);
  }
}

/** JSON-RPC messages of a response body, plain JSON or server-sent events. */
export function messagesOf(body: string): Array<Record<string, unknown>> {
  const trimmed = body.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const v = JSON.parse(trimmed) as unknown;
    return (Array.isArray(v) ? v : [v]) as Array<Record<string, unknown>>;
  }
  return trimmed
    .split('\n')
    .filter((l) => l.startsWith('data:'))
    .map((l) => l.slice(5).trim())
    .filter((d) => d !== '')
    .map((d) => JSON.parse(d) as Record<string, unknown>);
}
