// Records and changes in zone example.com, built in one line each, for the effect-model tests.
import { updateChange, type Change, type CurrentRecord } from '../../src/domain/diff.js';
import { normaliseRecord, type RecordSpec } from '../../src/domain/model.js';

export const Z = 'example.com';
export const spec = (name: string, record_type: string, value: string, priority: number | null = null): RecordSpec => normaliseRecord({ name, record_type, value, ttl: 3600, priority }, Z);
let n = 0;
/** A record as the zone holds it, with a uuid no other one has. */
export const cur = (s: RecordSpec): CurrentRecord => ({ ...s, uuid: `u${++n}` });
export const upd = (before: CurrentRecord, over: Partial<RecordSpec>): Change => updateChange(before, { ...before, ...over }) as Change;
export const add = (s: RecordSpec): Change => ({ action: 'create', after: s });
