import * as z from 'zod';
import { RECORD_TYPES } from '../../api/types.js';

// Shared field schemas, so every tool describes a field the same way.
export const zoneArg = z
  .string()
  .min(1)
  .max(253)
  .describe('The zone: its domain name (e.g. example.com) or its zone uuid (from list_zones).');

export const recordTypeArg = z.enum(RECORD_TYPES).describe('Record type: A, AAAA, CNAME, MX, TXT, NS, SRV or CAA.');

/** The owner-name rules (issue 12.2, domain/names.ts readOwnerName), said in full where a tool creates names. */
export const nameArg = z
  .string()
  .min(1)
  .max(253)
  .describe(
    'Owner name relative to the zone: "@" (apex), "www", "api.dev". A full name inside the zone (www.example.com, any case, final dot optional) is read as its relative name, with a note. Refused with a question, never guessed: a name outside the zone (ending in a dot; or below a registrable domain, e.g. www.example.org; or in another zone of the account). To mean such a name literally below the zone, append the zone (www.example.org.example.com). Refused as ambiguous: a name whose part relative to the zone still ends with the zone (www.example.com.example.com), which the provider would read back as www.example.com.',
  );

/** The same rules, briefly, where a tool looks a name up. */
export const NAME_RULES_BRIEF = 'Relative ("@", "www") or a full name inside the zone; a name outside it is refused (rules: create_record).';

export const valueArg = z
  .string()
  .min(1)
  .max(4096)
  .describe(
    'Record value. A: IPv4 (192.0.2.1); AAAA: IPv6 (2001:db8::1); CNAME/NS/MX: hostname (mail.example.com); TXT: the text itself, unquoted (v=spf1 -all); SRV: "weight port target" (5 5060 sip.example.com); CAA: flags tag "value" (0 issue "letsencrypt.org").',
  );

export const ttlArg = z.number().int().min(60).max(604800).describe('Time to live in seconds, 60 to 604800 (default 3600).');
export const priorityArg = z.number().int().min(0).max(65535).describe('Priority, required for MX and SRV (0-65535); leave out for other types.');
export const dryRunArg = z.boolean().optional().describe('true: compute and return the diff this call would make, and send no write.');

export const recordUuidArg = z.string().min(1).max(100).describe('The record uuid, or its first 8+ characters as lists show them (#3f2a9c1e -> 3f2a9c1e). Alternative to zone + name + record_type.');

/** How a tool names one record: `record` uuid, or zone + name + record_type (+ value to pick one of several). */
export const recordTarget = {
  record: recordUuidArg.optional(),
  zone: zoneArg.optional().describe('With name and record_type, the zone of the record (domain or uuid). Not needed when `record` is given.'),
  name: nameArg.optional().describe(`With zone and record_type: the record name. ${NAME_RULES_BRIEF}`),
  record_type: recordTypeArg.optional().describe('With zone and name: the record type.'),
  value: z.string().max(4096).optional().describe('Pick one record when several share the name and type (their current value).'),
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
export const planRiskOut = z.object({ needs_confirmation: z.boolean(), reasons: z.array(z.string()), touches_apex_ns: z.boolean(), changed_fraction: z.number() });

export const confirmTokenArg = z
  .string()
  .min(1)
  .max(2000)
  .optional()
  .describe('Leave out on the first call: it returns the preview and a confirm_token. After the user has seen the preview and agreed, call again with the same arguments plus this token.');

/** For write tools that need confirmation only when the effect policy says so (src/safety/effect.ts). */
export const confirmWhenNeededArg = confirmTokenArg.describe(
  'Leave out. Only when a first call answered confirmation "required" (a delete, an NS change, a replaced value, or many changes to one zone): after the user has seen the preview and agreed, call again with the same arguments plus this token.',
);

export const budgetTokenArg = z
  .string()
  .min(1)
  .max(2000)
  .optional()
  .describe("The budget.budget_token of the previous write to this zone, if any: so that every server replica counts the zone's 10-minute change budget.");
