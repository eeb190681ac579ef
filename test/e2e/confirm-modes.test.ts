/**
 * VPSORG_HUMAN_FOR judged by what a call does (issue 16.3): an NS change needs a person whichever
 * tool makes it, while other held changes keep the token; `both` (older configs) still works as auto.
 */
import { describe, expect, it } from 'vitest';
import { type Emulator } from '../../src/emulator/index.js';
import { startHarness } from '../helpers/harness.js';
import { seededEmulator, writes } from './safety-helpers.js';

let emu: Emulator;
seededEmulator((e) => (emu = e));

describe('VPSORG_HUMAN_FOR=ns with a client that offers no human channel', () => {
  it('an NS record is refused from create_record and from apply_zone alike; a delete still gets its token; a plain add just runs', async () => {
    const h = await startHarness({ emu, env: { VPSORG_HUMAN_FOR: 'ns' } });
    try {
      const ns = { name: 'lab', record_type: 'NS', value: 'ns1.elsewhere.example.' };
      for (const [tool, args] of [
        ['create_record', { zone: 'example.com', ...ns }],
        ['apply_zone', { zone: 'example.com', records: [ns] }],
      ] as const) {
        const r = await h.call(tool, args);
        expect(r.isError, tool).toBe(true);
        expect(r.text).toContain(`${tool} needs a person's approval`);
        expect(r.text).toContain('VPSORG_HUMAN_FOR=ns requires a person to approve this change (ns)');
      }
      expect(writes(emu)).toHaveLength(0);
      const del = await h.call('delete_record', { zone: 'example.com', name: 'www', record_type: 'A' });
      expect(del.structured).toMatchObject({ confirmation: 'required' });
      expect(typeof del.structured?.['confirm_token']).toBe('string');
      const add = await h.call('create_record', { zone: 'example.com', name: 'new', record_type: 'A', value: '192.0.2.77' });
      expect(add.isError, add.text).toBeFalsy();
      expect(writes(emu)).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it('VPSORG_CONFIRM_MODE=both (older configs) behaves as auto: the token for a client without channels', async () => {
    const h = await startHarness({ emu, env: { VPSORG_CONFIRM_MODE: 'both' } });
    try {
      const r = await h.call('delete_zone', { zone: 'example.com' });
      expect(r.structured).toMatchObject({ confirmation: 'required' });
    } finally {
      await h.close();
    }
  });

  it('a VPSORG_HUMAN_FOR entry that names nothing stops the server at start', async () => {
    await expect(startHarness({ emu, env: { VPSORG_HUMAN_FOR: 'delete_zones' } })).rejects.toThrow(/VPSORG_HUMAN_FOR: unknown "delete_zones"/);
  });
});
