import type * as z from 'zod';
import type { DnsRecord, ZoneSummary } from '../../api/types.js';
import type { recordOut, zoneOut } from './schemas.js';

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

export { changeOutOf, specOutOf } from '../../domain/change-json.js';
