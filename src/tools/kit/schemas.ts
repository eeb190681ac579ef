import * as z from 'zod';
import { RECORD_TYPES } from '../../api/types.js';
import * as SAY from './texts.js';

// Shared field schemas, so every tool describes a field the same way (the words: texts.ts).
export const zoneArg = z.string().min(1).max(253).describe(SAY.ZONE);

export const recordTypeArg = z.enum(RECORD_TYPES).describe('Record type.');

export const nameArg = z.string().min(1).max(253).describe(SAY.NAME);

export const valueArg = z.string().min(1).max(4096).describe(SAY.VALUE);

export const ttlArg = z.number().int().min(60).max(604800).describe(SAY.TTL);
export const priorityArg = z.number().int().min(0).max(65535).describe(SAY.PRIORITY);
export const dryRunArg = z.boolean().optional().describe(SAY.DRY_RUN);

export const recordUuidArg = z.string().min(1).max(100).describe(SAY.RECORD_UUID);

/** How a tool names one record: `record` uuid, or zone + name + record_type (+ value to pick one of several). */
export const recordTarget = {
  record: recordUuidArg.optional(),
  zone: zoneArg.optional(),
  name: nameArg.optional(),
  record_type: recordTypeArg.optional(),
  value: z.string().max(4096).optional().describe(SAY.PICK_VALUE),
};

export const recordOut = z.object({
  uuid: z.string(),
  record_type: z.string(),
  name: z.string(),
  value: z.string(),
  ttl: z.number(),
  priority: z.number().nullable(),
  created_at: z.string().optional(),
});

export const zoneOut = z.object({
  uuid: z.string(),
  domain: z.string(),
  created_at: z.string().optional(),
  record_count: z.number().optional(),
});

/** Which zone a record belongs to, on every record a cross-zone result returns. */
export const zoneRefOut = zoneOut.pick({ uuid: true, domain: true });

/** A record as the record model holds it (no uuid): a change's `after`, an imported record. */
export const specOut = z.object({
  name: z.string(),
  record_type: z.string(),
  value: z.string(),
  ttl: z.number(),
  priority: z.number().nullable(),
});

export const changeOut = z.object({
  action: z.enum(['create', 'update', 'delete']),
  before: specOut.extend({ uuid: z.string() }).optional(),
  after: specOut.optional(),
  fields: z.array(z.string()).optional(),
  ttl_only: z.boolean().optional(),
});

/** Audit findings a change would add (issue 12.4), grouped by kind; pre-existing findings are not repeated. */
export const warningsOut = z
  .array(
    z.object({
      severity: z.enum(['error', 'warning']),
      code: z.string(),
      count: z.number(),
      names: z.array(z.string()),
      message: z.string(),
      fix: z.string(),
    }),
  )
  .describe('Audit findings (audit_zone) this change would add to the zone, each with its fix; findings the zone already has are not repeated.');

/** The common result of every write tool: what changed (or would change), as data and as a diff. */
export const writeOut = {
  dry_run: z.boolean().describe('true when nothing was sent to the API.'),
  applied: z.boolean(),
  zone: zoneOut.pick({ uuid: true, domain: true }),
  changes: z.array(changeOut),
  diff: z.string().describe('The changes as a zone-file-style diff.'),
  notes: z.array(z.string()),
  warnings: warningsOut,
};

/** What a whole-zone plan would do (plan_zone, apply_zone, import_zone_file). */
export const planCountsOut = z.object({ creates: z.number(), updates: z.number(), deletes: z.number(), unchanged: z.number() });
export const planRiskOut = z.object({ needs_confirmation: z.boolean(), codes: z.array(z.string()), reasons: z.array(z.string()), touches_apex_ns: z.boolean(), changed_fraction: z.number() });

export const confirmTokenArg = z.string().min(1).max(2000).optional().describe(SAY.CONFIRM_TOKEN);

/** Offered over HTTP only (see httpOnlyArgs in catalog.ts). */
export const budgetTokenArg = z.string().min(1).max(2000).optional().describe(SAY.BUDGET_TOKEN);
