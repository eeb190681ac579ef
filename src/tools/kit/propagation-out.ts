import * as z from 'zod';
import { pageOut } from './budget.js';

// check_propagation's result shapes (they mirror src/dns/propagation-check.ts).
const serverOut = z.object({
  host: z.string(),
  address: z.string(),
  port: z.number(),
  status: z.enum(['in_sync', 'pending', 'error']),
  values: z.array(z.string()),
  ttl: z.number().nullable(),
  aa: z.boolean().nullable(),
  serial: z.number().nullable(),
  rttMs: z.number(),
  rcode: z.string().nullable(),
  detail: z.string(),
});
export const setOut = z.object({
  zone: z.string(),
  name: z.string(),
  record_type: z.string(),
  expected: z.array(z.string()),
  propagated: z.boolean(),
  serials_agree: z.boolean(),
  servers: z.array(serverOut),
  rounds: z.number(),
  elapsed_ms: z.number(),
  max_ttl_seen: z.number().nullable(),
  negative_ttl: z.number().nullable(),
});

export const propagationOut = z.object({
  zone: z.string(),
  mode: z.enum(['record_set', 'zone']),
  propagated: z.boolean(),
  serials_agree: z.boolean(),
  result: setOut.optional(),
  sets: z.array(setOut).optional().describe('Whole-zone mode: only the record sets NOT in sync (the first ones when there are many; sets_page says how many were left out).'),
  sets_page: pageOut.optional(),
  sets_in_sync: z.number().optional(),
  total_sets: z.number().optional(),
  unresolved: z.array(z.object({ host: z.string(), error: z.string() })),
  resume: z.string().optional().describe('Present when the wait is not over but this call stopped waiting (VPSORG_MAX_INLINE_WAIT_S): call check_propagation again with zone and resume to continue it.'),
  resume_until: z.string().optional().describe('When the resumed wait ends (ISO 8601).'),
});
