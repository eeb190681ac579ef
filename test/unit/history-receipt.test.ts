import { describe, expect, it } from 'vitest';
import { makeReceipt, RECEIPT_TTL_MS, signReceipt, verifyReceipt, MAX_INLINE_SETS, type ReceiptSet } from '../../src/history/receipt.js';
import { planUndo } from '../../src/history/undo-plan.js';
import { setDigest } from '../../src/history/sets.js';
import type { CurrentRecord } from '../../src/domain/diff.js';
import { UserError } from '../../src/errors.js';

const SECRET = 'receipt-test-secret-0123456789';
const at = Date.UTC(2026, 0, 1);
const rec = (name: string, value: string, ttl = 3600, uuid = `u-${name}-${value}`): CurrentRecord => ({ name, record_type: 'A', value, ttl, priority: null, uuid });
const sets: ReceiptSet[] = [{ n: 'www', t: 'A', b: [['192.0.2.1', 3600, null, 'u1']], a: setDigest([rec('www', '192.0.2.2')]) }];
const receipt = () => makeReceipt({ id: 'chg_test', tool: 'patch_record', zone: { uuid: 'z1', domain: 'example.com' }, kind: 'records', at }, sets, true);

function reason(f: () => unknown): string | undefined {
  try {
    f();
  } catch (err) {
    return err instanceof UserError ? (err.details?.['reason'] as string) : 'not a UserError';
  }
  return undefined;
}

describe('undo receipts', () => {
  it('round-trips under the same secret and carries zone, before-state and after digest', () => {
    const r = verifyReceipt(SECRET, signReceipt(SECRET, receipt()), at + 1000);
    expect(r.zone.domain).toBe('example.com');
    expect(r.sets?.[0]?.b).toEqual([['192.0.2.1', 3600, null, 'u1']]);
  });

  it('refuses a tampered, foreign-keyed, expired or malformed receipt', () => {
    const signed = signReceipt(SECRET, receipt());
    const [p, body, sig] = signed.split('.') as [string, string, string];
    const edited = JSON.parse(Buffer.from(body, 'base64url').toString()) as { zone: { domain: string } };
    edited.zone.domain = 'victim.org';
    expect(reason(() => verifyReceipt(SECRET, `${p}.${Buffer.from(JSON.stringify(edited)).toString('base64url')}.${sig}`, at))).toBe('forged');
    expect(reason(() => verifyReceipt('another-secret-0123456789', signed, at))).toBe('forged');
    expect(reason(() => verifyReceipt(SECRET, signed, at + RECEIPT_TTL_MS + 1))).toBe('expired');
    expect(reason(() => verifyReceipt(SECRET, 'eyJ2IjoxfQ.abc', at))).toBe('malformed');
  });

  it('a change too large for a compact receipt refers to its journal entry, unless there is no journal', () => {
    const big: ReceiptSet[] = Array.from({ length: 200 }, (_, i) => ({ n: `h${i}`, t: 'A', b: [[`198.51.100.${i % 250}`, 3600, null, `uuid-${i}`]], a: 'x' }));
    expect(JSON.stringify(big).length).toBeGreaterThan(MAX_INLINE_SETS);
    const base = { id: 'chg_big', tool: 'apply_zone', zone: { uuid: 'z1', domain: 'example.com' }, kind: 'records' as const, at };
    const journaled = makeReceipt(base, big, true);
    expect(journaled.sets).toBeUndefined();
    expect(journaled.ref?.journal).toBe(true);
    expect(makeReceipt(base, big, false).sets).toHaveLength(200);
  });
});

describe('undo verdicts', () => {
  const before = [rec('www', '192.0.2.1')];
  const after = [rec('www', '192.0.2.2')];
  const s: ReceiptSet = { n: 'www', t: 'A', b: [['192.0.2.1', 3600, null]], a: setDigest(after) };
  it('now = after restores, now = before does nothing, anything else is a conflict', () => {
    const restore = planUndo([s], after);
    expect(restore.verdicts[0]?.status).toBe('restore');
    expect(restore.changes).toMatchObject([{ action: 'update', after: { value: '192.0.2.1' } }]);
    expect(planUndo([s], before).verdicts[0]?.status).toBe('already_undone');
    const conflict = planUndo([s], [rec('www', '192.0.2.3')]);
    expect(conflict.verdicts[0]?.status).toBe('conflict');
    expect(conflict.changes).toEqual([]);
    // A TTL changed since is a change too.
    expect(planUndo([s], [rec('www', '192.0.2.2', 300)]).verdicts[0]?.status).toBe('conflict');
  });
});
