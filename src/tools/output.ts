import type * as z from 'zod';
import type { DnsRecord, ZoneSummary } from '../api/types.js';
import type { Change } from '../domain/diff.js';
import type { RecordSpec } from '../domain/model.js';
import type { changeOut, recordOut, specOut, zoneOut } from './schemas.js';

// The API's objects may carry fields we don't declare; results keep exactly the declared ones,
// since clients validate structuredContent against the output schema.
export function recordOutOf(r: DnsRecord): z.infer<typeof recordOut> {
  return {
    uuid: r.uuid,
    record_type: r.record_type,
    name: r.name,
    value: r.value,
    ttl: r.ttl,
    priority: r.priority ?? null,
    ...(r.created_at !== undefined ? { created_at: r.created_at } : {}),
  };
}

export function zoneOutOf(z: ZoneSummary): z.infer<typeof zoneOut> {
  return {
    uuid: z.uuid,
    domain: z.domain,
    ...(z.created_at !== undefined ? { created_at: z.created_at } : {}),
    ...(z.record_count !== undefined ? { record_count: z.record_count } : {}),
  };
}

// A change's records are built by spreading other records (an update's `after` is often `{...before}`),
// so they are copied field by field: an extra member such as `uuid` breaks clients' schema checks.
export function specOutOf(s: RecordSpec): z.infer<typeof specOut> {
  return { name: s.name, record_type: s.record_type, value: s.value, ttl: s.ttl, priority: s.priority };
}

export function changeOutOf(c: Change): z.infer<typeof changeOut> {
  switch (c.action) {
    case 'create':
      return { action: 'create', after: specOutOf(c.after) };
    case 'delete':
      return { action: 'delete', before: { ...specOutOf(c.before), uuid: c.before.uuid } };
    case 'update':
      return { action: 'update', before: { ...specOutOf(c.before), uuid: c.before.uuid }, after: specOutOf(c.after), fields: [...c.fields], ttl_only: c.ttlOnly };
  }
}
