/**
 * Ordering a large held plan for approval (src/safety/approval-order.ts), done on every preview,
 * confirmation and form: 10,000 new records into a 20,000-record zone. Baseline: judging the same
 * plan once (assessEffect), which reads the zone once; ordering asks the marks of every change.
 */
import type { Change, CurrentRecord } from '../../src/domain/diff.js';
import { normaliseRecord } from '../../src/domain/model.js';
import { orderForApproval } from '../../src/safety/approval-order.js';
import { assessEffect } from '../../src/safety/effect.js';
import type { Row } from './main.js';
import { median } from './stdio.js';

const Z = 'example.com';
const rec = (name: string, record_type: string, value: string) => normaliseRecord({ name, record_type, value, ttl: 3600, priority: record_type === 'MX' ? 10 : null }, Z);

export async function benchApprovalOrder(results: Record<string, unknown>): Promise<Row[]> {
  const current: CurrentRecord[] = Array.from({ length: 20_000 }, (_, i) => ({ ...rec(`h${i}`, i % 10 === 0 ? 'CNAME' : 'A', i % 10 === 0 ? `n${i}.${Z}.` : `198.51.100.${i % 250}`), uuid: `u${i}` }));
  const changes: Change[] = Array.from({ length: 10_000 }, (_, i) => ({ action: 'create', after: rec(`n${i}`, 'A', '203.0.113.7') }));
  const time = (f: () => unknown) => {
    const ms: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      f();
      ms.push(performance.now() - t0);
    }
    return median(ms);
  };
  const order = time(() => orderForApproval(changes, current, Z));
  const judge = time(() => assessEffect(changes, current, undefined, undefined, Z));
  results['approval_order'] = { changes: changes.length, zone: current.length, order_ms: order, judge_ms: judge };
  return [{ what: 'order a 10,000-change plan on a 20,000-record zone for approval (median of 5)', value: `${order.toFixed(0)} ms`, baseline: `${judge.toFixed(0)} ms (assessEffect, same plan)`, ratio: `${(order / judge).toFixed(2)}x`, target: '<= 10x', met: order / judge <= 10 }];
}
