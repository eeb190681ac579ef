/**
 * A planned change as results and receipts carry it (the shape of tools/kit/schemas.ts `changeOut`):
 * below the tools and the history, which both write it.
 */
import type { Change } from './diff.js';
import type { RecordSpec } from './model.js';

export interface SpecJson {
  name: string;
  record_type: string;
  value: string;
  ttl: number;
  priority: number | null;
}

export interface ChangeJson {
  action: 'create' | 'update' | 'delete';
  before?: SpecJson & { uuid: string };
  after?: SpecJson;
  fields?: string[];
  ttl_only?: boolean;
}

// A change's records are built by spreading other records (an update's `after` is often `{...before}`),
// so they are copied field by field: an extra member such as `uuid` breaks clients' schema checks.
export function specOutOf(s: RecordSpec): SpecJson {
  return { name: s.name, record_type: s.record_type, value: s.value, ttl: s.ttl, priority: s.priority };
}

export function changeOutOf(c: Change): ChangeJson {
  switch (c.action) {
    case 'create':
      return { action: 'create', after: specOutOf(c.after) };
    case 'delete':
      return { action: 'delete', before: { ...specOutOf(c.before), uuid: c.before.uuid } };
    case 'update':
      return { action: 'update', before: { ...specOutOf(c.before), uuid: c.before.uuid }, after: specOutOf(c.after), fields: [...c.fields], ttl_only: c.ttlOnly };
  }
}
