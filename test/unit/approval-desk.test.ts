import { describe, expect, it } from 'vitest';
import { ApprovalStore } from '../../src/safety/approval-desk.js';
import { approvalView } from '../../src/safety/approval-view.js';

const rec = { uuid: 'u', name: 'www', record_type: 'A' as const, value: '192.0.2.1', ttl: 60, priority: null };
const view = approvalView({ op: 'delete_record', zone: 'example.com', action: 'Delete', changes: [{ action: 'delete', before: rec }], current: [rec] });

describe('the approval store', () => {
  it('hands an approval out as approved once; the same state again is unknown (single use)', async () => {
    const store = new ApprovalStore();
    const path = await store.add({ key: 'k1', view, expiresAt: Date.now() + 60_000 });
    expect(path).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const page = await store.page(path);
    expect(page?.csrf).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await store.decide(page!, 'approved')).toBe(true);
    expect(await store.decide(page!, 'declined')).toBe(false);
    expect(page?.decided).toBe('approved');
    expect(await store.wait('k1', 0)).toBe('approved');
    expect(await store.wait('k1', 0)).toBe('unknown');
    expect((await store.page(path))?.decided).toBe('approved');
  });

  it('counts reminders; a parked approval is found by what it confirms until a call reads it or it expires (issue 22.12)', async () => {
    let now = 1_000_000;
    const store = new ApprovalStore(() => now);
    await store.add({ key: 'k3', view, expiresAt: now + 60_000, binding: 'b3', requestState: 'state-3' });
    expect([await store.remind('k3'), await store.remind('k3'), await store.remind('nope')]).toEqual([1, 2, 0]);
    expect(await store.parked('b3')).toBeUndefined();
    await store.park('k3');
    expect(await store.parked('b3')).toEqual({ key: 'k3', requestState: 'state-3', expiresAt: now + 60_000 });
    expect(await store.parked('other')).toBeUndefined();
    now += 60_000;
    expect(await store.parked('b3')).toBeUndefined();
    now -= 1;
    expect(await store.wait('k3', 0)).toBe('pending');
    await store.cancel('k3');
    expect(await store.parked('b3')).toBeUndefined();
  });

  it('a wait ends with the click, or as pending when its time runs out', async () => {
    const store = new ApprovalStore();
    const path = await store.add({ key: 'k2', view, expiresAt: Date.now() + 60_000 });
    expect(await store.wait('k2', 20)).toBe('pending');
    const waiting = store.wait('k2', 5000);
    setTimeout(() => void store.page(path).then((p) => store.decide(p!, 'declined')), 20);
    expect(await waiting).toBe('declined');
  });

  it('expires by its clock: a late click is refused and the wait reads expired', async () => {
    let now = 1_000_000;
    const store = new ApprovalStore(() => now);
    const path = await store.add({ key: 'k3', view, expiresAt: now + 300_000 });
    now += 300_001;
    const page = (await store.page(path))!;
    expect(page.decided).toBe('expired');
    expect(await store.decide(page, 'approved')).toBe(false);
    expect(await store.wait('k3', 0)).toBe('expired');
  });

  it('cancel (the client declined to open the page) ends it as declined; unknown keys stay unknown', async () => {
    const store = new ApprovalStore();
    const path = await store.add({ key: 'k4', view, expiresAt: Date.now() + 60_000 });
    await store.cancel('k4');
    expect((await store.page(path))?.decided).toBe('declined');
    expect(await store.wait('k4', 0)).toBe('unknown');
    expect(await store.wait('nope', 0)).toBe('unknown');
  });
});
