// orderForApproval (src/safety/approval-order.ts): what gets a call held leads, then what is called
// out, then the rest, each group in planned order. The zone is indexed once and each change ranked
// once; this pins the order those shortcuts must keep, on a plan large enough to be a real import.
import { describe, expect, it } from 'vitest';
import { updateChange, type Change, type CurrentRecord } from '../../src/domain/diff.js';
import { normaliseRecord, type RecordSpec } from '../../src/domain/model.js';
import { orderForApproval } from '../../src/safety/approval-order.js';

const Z = 'example.com';
const spec = (name: string, record_type: string, value: string, priority: number | null = null): RecordSpec => normaliseRecord({ name, record_type, value, ttl: 3600, priority }, Z);
let n = 0;
const cur = (s: RecordSpec): CurrentRecord => ({ ...s, uuid: `u${++n}` });
const add = (s: RecordSpec): Change => ({ action: 'create', after: s });
const label = (c: Change) => { const r = c.action === 'create' ? c.after : c.before; return `${c.action} ${r.name} ${r.record_type}`; };

describe('orderForApproval', () => {
  it('puts held-and-called-out, then held, then called-out, then plain changes first, each in planned order', () => {
    const api = cur(spec('api', 'A', '192.0.2.20'));
    const zone = [cur(spec('@', 'A', '192.0.2.1')), api, cur(spec('www', 'CNAME', 'app.example.com.')), cur(spec('*.dev', 'A', '192.0.2.9'))];
    for (let i = 0; i < 2000; i++) zone.push(cur(spec(`host${i}`, 'A', `198.51.100.${i % 250}`)));
    const plan: Change[] = [
      add(spec('new1', 'A', '203.0.113.1')),
      add(spec('shop', 'MX', 'mx.example.com.', 10)),
      add(spec('app', 'A', '203.0.113.2')), // www's CNAME target: takes its traffic
      add(spec('@', 'A', '203.0.113.3')),
      updateChange(api, { ...api, ttl: 60 }) as Change,
      add(spec('x.dev', 'A', '203.0.113.4')), // the *.dev wildcard answered for it
      { action: 'delete', before: api },
      add(spec('new2', 'TXT', 'hello')),
    ];
    for (let i = 0; i < 3000; i++) plan.push(add(spec(`bulk${i}`, 'A', '203.0.113.50')));
    const ordered = orderForApproval(plan, zone, Z).map(label);
    expect(ordered.slice(0, 8)).toEqual([
      'create shop MX', 'create @ A',
      'create app A', 'create x.dev A', 'delete api A',
      'create new1 A', 'update api A', 'create new2 TXT',
    ]);
    expect(ordered.slice(8)).toEqual(plan.slice(8).map(label));
    expect(ordered).toHaveLength(plan.length);
  });
});
