import * as z from 'zod';
import { defineTool } from './types.js';
import { zoneArg, zoneOut } from './schemas.js';
import { dataBlock } from './format.js';
import { auditZone, findingLines, notCheckedLines, summaryLine } from '../audit/index.js';

const auditRecordOut = z.object({
  uuid: z.string().optional(),
  name: z.string(),
  record_type: z.string(),
  value: z.string(),
  ttl: z.number(),
  priority: z.number().nullable().optional(),
});

const findingOut = z.object({
  severity: z.enum(['error', 'warning', 'info']),
  code: z.string().describe('Stable kind, e.g. dangling_cname, spf_duplicate, dmarc_missing, private_address.'),
  name: z.string().describe('The owner name concerned, relative to the zone (@ for the apex).'),
  message: z.string(),
  fix: z.string(),
  records: z.array(auditRecordOut).describe('The records concerned; empty when the finding is about a missing record.'),
});

export const auditZoneTool = defineTool({
  name: 'audit_zone',
  title: 'Audit a DNS zone',
  description:
    'Checks a zone for common mistakes and returns findings with severity (error, warning, info), the records concerned and a fix: dangling CNAMEs, MX/NS/SRV targets that are aliases or have no address, missing or duplicate SPF, missing/duplicate/weak DMARC at _dmarc, missing CAA, TTL outliers and mixed TTLs in a record set, private or documentation addresses, wildcards. Works from the API\'s records only: targets outside the zone are not resolved (listed under not_checked). Read-only: fix findings with the record tools, dry run first.',
  toolset: 'audit',
  permission: 'dns:list',
  input: z.object({ zone: zoneArg }),
  output: z.object({
    zone: zoneOut.pick({ uuid: true, domain: true }),
    record_count: z.number(),
    counts: z.object({ error: z.number(), warning: z.number(), info: z.number() }),
    findings: z.array(findingOut),
    not_checked: z.array(z.object({ check: z.string(), reason: z.string(), records: z.array(auditRecordOut) })),
  }),
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ zone }, ctx) {
    const ref = await ctx.zones.resolve(zone);
    const { items } = await ctx.api.listZoneRecords(ref.uuid);
    const records = items.map((r) => ({ uuid: r.uuid, name: r.name, record_type: r.record_type, value: r.value, ttl: r.ttl, priority: r.priority ?? null }));
    const report = auditZone(ref.domain, records);
    const lines = [summaryLine(report)];
    if (report.findings.length) lines.push(dataBlock(findingLines(report)));
    const skipped = notCheckedLines(report);
    if (skipped.length) lines.push(`Not checked:\n${dataBlock(skipped)}`);
    if (report.counts.error + report.counts.warning > 0) lines.push('Nothing was changed. Fix a finding with the record tools (dry_run: true first), then run audit_zone again.');
    return {
      structured: { zone: ref, record_count: report.record_count, counts: report.counts, findings: report.findings, not_checked: report.not_checked },
      text: lines.join('\n'),
    };
  },
});
