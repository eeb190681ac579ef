import type { SeedRecord } from '../../../src/emulator/types.js';
import { DEMO_ZONE, type SeedZone } from './world.js';

/** n A records h00.. in a zone: the bulk of an apply. */
export function hosts(n: number, prefix = 'h', net = '198.51.100'): SeedRecord[] {
  return Array.from({ length: n }, (_, i) => ({ record_type: 'A', name: `${prefix}${String(i).padStart(2, '0')}`, value: `${net}.${i + 1}`, ttl: 3600 }));
}

/** Four zones (two pages of three when paginated), each with over three records (so every list has a page 2). */
export const ZONES: SeedZone[] = [
  DEMO_ZONE,
  { domain: 'bulk.test', records: hosts(30) },
  { domain: 'other.test', records: [{ record_type: 'A', name: '@', value: '192.0.2.10' }, { record_type: 'TXT', name: '@', value: 'keep me' }, { record_type: 'MX', name: '@', value: 'mx.other.test', priority: 5 }] },
  { domain: 'spare.test', records: [{ record_type: 'TXT', name: '_verify', value: 'token-123' }, ...hosts(4, 'www', '192.0.2')] },
];

export interface DesiredRecord {
  name: string;
  record_type: string;
  value: string;
  ttl?: number;
  priority?: number;
}

/**
 * 20 changes to bulk.test in upsert mode: 14 creates and 6 TTL updates (6 of 30 records touched,
 * under the 30% that would need confirmation).
 */
export function bulkPlan20(): DesiredRecord[] {
  const creates = Array.from({ length: 14 }, (_, i) => ({ record_type: 'A', name: `n${String(i).padStart(2, '0')}`, value: `203.0.113.${i + 1}`, ttl: 300 }));
  const updates = hosts(6).map((r) => ({ record_type: r.record_type, name: r.name, value: r.value, ttl: 900 }));
  return [...creates, ...updates];
}
