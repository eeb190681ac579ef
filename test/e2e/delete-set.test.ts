/**
 * Issue 22.8: a whole (name, record_type) set deleted in one call with one confirmation, and
 * list_changes naming the records each change touched (so picking what to undo needs no dry run).
 */
import { describe, expect, it } from 'vitest';
import { emulatedServer } from '../helpers/emulated.js';

const t = emulatedServer((store) => {
  store.addZone('example.com', [
    { record_type: 'A', name: 'www', value: '192.0.2.10' },
    { record_type: 'A', name: 'www', value: '192.0.2.11' },
    { record_type: 'TXT', name: 'www', value: 'keep me' },
    { record_type: 'A', name: '@', value: '192.0.2.1' },
  ]);
});

const live = () => (t.emu.store.findZone('example.com')?.records ?? []).map((r) => `${r.name} ${r.record_type} ${r.value}`).sort();
const deletes = () => t.emu.requests.filter((r) => r.method === 'DELETE').length;

describe('delete_record of a whole set (issue 22.8)', () => {
  it('one call and one confirmation delete a 2-record set; the other sets stay; list_changes names what it touched', async () => {
    const args = { zone: 'example.com', name: 'www', record_type: 'A', whole_set: true };
    const preview = await t.h.call('delete_record', args);
    expect(preview.isError, preview.text).toBeFalsy();
    expect(preview.text).toContain('It would delete 2 records');
    expect(deletes()).toBe(0);
    const token = preview.structured?.['confirm_token'] as string;
    expect(token).toBeTruthy();
    const done = await t.h.call('delete_record', { ...args, confirm_token: token });
    expect(done.isError, done.text).toBeFalsy();
    expect(done.structured?.['applied']).toBe(true);
    expect(deletes()).toBe(2);
    expect(live()).toEqual(['@ A 192.0.2.1', 'www TXT keep me']);

    const created = await t.h.call('create_record', { zone: 'example.com', name: 'api', record_type: 'CNAME', value: 'www.example.com.' });
    expect(created.isError, created.text).toBeFalsy();
    const list = await t.h.call('list_changes', { zone: 'example.com', limit: 2 });
    const changes = list.structured?.['changes'] as Array<{ tool: string; records: unknown[] }>;
    expect(changes.map((c) => [c.tool, c.records])).toEqual([
      ['create_record', [{ action: 'create', name: 'api', record_type: 'CNAME', count: 1 }]],
      ['delete_record', [{ action: 'delete', name: 'www', record_type: 'A', count: 2 }]],
    ]);
    expect(list.text).toContain('[-www A x2]');
    expect(list.text).toContain('[+api CNAME]');

    // The whole set comes back with one undo.
    const id = (done.structured?.['undo'] as { change_id: string }).change_id;
    const first = await t.h.call('undo_change', { change_id: id });
    const token2 = first.structured?.['confirm_token'] as string | undefined;
    const undone = token2 ? await t.h.call('undo_change', { change_id: id, confirm_token: token2 }) : first;
    expect(undone.isError, undone.text).toBeFalsy();
    expect(live()).toEqual(expect.arrayContaining(['www A 192.0.2.10', 'www A 192.0.2.11']));
  });

  it('without whole_set, several records still need picking, and the hint offers whole_set; it excludes value and record', async () => {
    const many = await t.h.call('delete_record', { zone: 'example.com', name: 'www', record_type: 'A' });
    expect(many.isError).toBe(true);
    expect(many.text).toContain('whole_set: true');
    const mixed = await t.h.call('delete_record', { zone: 'example.com', name: 'www', record_type: 'A', value: '192.0.2.10', whole_set: true });
    expect(mixed.isError).toBe(true);
    expect(mixed.text).toMatch(/whole_set/);
    expect(deletes()).toBe(0);
  });
});
