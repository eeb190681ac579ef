import * as z from 'zod';
import { defineTool } from '../kit/types.js';
import { zoneArg, zoneOut } from '../kit/schemas.js';
import { dataBlock } from '../kit/format.js';
import { auditZone, exampleOf, findingLines, groupFindings, groupsText, notCheckedLines, notCheckedSummary, summaryLine, type AuditReport, type FindingGroup } from '../../audit/index.js';
import { fit, omittedNote, pageArgs, pageOut } from '../kit/budget.js';

const auditRecordOut = z.object({
  uuid: z.string().optional(),
  name: z.string(),
  record_type: z.string(),
  value: z.string(),
  ttl: z.number(),
  priority: z.number().nullable().optional(),
});

const exampleOut = z.object({
  name: z.string().describe('The owner name concerned, relative to the zone (@ for the apex).'),
  message: z.string(),
  fix: z.string(),
  records: z.array(auditRecordOut).describe('The records concerned (the first few); empty when the finding is about a missing record.'),
  records_omitted: z.number().describe('Records concerned beyond those listed.'),
});

const groupOut = z.object({
  severity: z.enum(['error', 'warning', 'info']),
  code: z.string().describe('Stable kind, e.g. dangling_cname, spf_duplicate, dmarc_missing, private_address.'),
  count: z.number().describe('How many findings of this kind; `examples` shows the first few (pass `code` to see them all).'),
  examples: z.array(exampleOut),
});

export const auditZoneTool = defineTool({
  name: 'audit_zone',
  title: 'Audit a DNS zone',
  description:
    'Checks a zone for common mistakes (dangling CNAMEs, MX/NS/SRV targets without address, SPF, DMARC, CAA, TTL outliers, private addresses, wildcards), each with severity, records and a fix. Findings of one code come as one entry with examples; `code` lists them all. Targets outside the zone are not resolved.',
  toolset: 'audit',
  permission: 'dns:list',
  input: z.object({ zone: zoneArg, code: z.string().max(64).optional().describe('Every finding of this code (e.g. private_address).'), ...pageArgs }),
  output: z.object({
    zone: zoneOut.pick({ uuid: true, domain: true }),
    record_count: z.number(),
    counts: z.object({ error: z.number(), warning: z.number(), info: z.number() }),
    findings: z.array(groupOut).describe('One entry per kind of finding, most severe first.'),
    page: pageOut.describe('Which findings groups are shown (with `code`: which findings of that code).'),
    not_checked: z.array(z.object({ check: z.string(), reason: z.string(), count: z.number(), records: z.array(auditRecordOut).describe('The first few.') })),
  }),
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ zone, code, ...paging }, ctx) {
    const ref = await ctx.zones.resolve(zone);
    const { items } = await ctx.api.listZoneRecords(ref.uuid);
    const records = items.map((r) => ({ uuid: r.uuid, name: r.name, record_type: r.record_type, value: r.value, ttl: r.ttl, priority: r.priority ?? null }));
    const report = auditZone(ref.domain, records);
    const { groups, page, lines: shown } = code === undefined ? allGroups(report, paging) : oneCode(report, code, paging);
    const lines = [summaryLine(report)];
    if (shown.length) lines.push(dataBlock(shown));
    const more = omittedNote(page, code === undefined ? 'kinds of finding' : `${code} findings`, []);
    if (more) lines.push(more);
    const skipped = notCheckedLines(report);
    if (skipped.length) lines.push(`Not checked:\n${dataBlock(skipped)}`);
    if (report.counts.error + report.counts.warning > 0) lines.push('Nothing was changed. Fix a finding with the record tools (dry_run: true first), then run audit_zone again.');
    return {
      structured: { zone: ref, record_count: report.record_count, counts: report.counts, findings: groups, page, not_checked: report.not_checked.map(notCheckedSummary) },
      text: lines.join('\n'),
    };
  },
});

type Paging = { limit?: number | undefined; cursor?: string | undefined };

function allGroups(report: AuditReport, paging: Paging) {
  const all = groupFindings(report.findings);
  const { items, page } = fit(all, { ...paging, json: strip, text: (g) => groupsText(report, [g]).join('\n') });
  return { groups: items.map(strip), page, lines: groupsText(report, items) };
}

/** Every finding of one code, as examples of its one group, paged. */
function oneCode(report: AuditReport, code: string, paging: Paging) {
  const of = report.findings.filter((f) => f.code === code);
  const { items, page } = fit(of, { ...paging, json: exampleOf, text: (f) => findingLines({ ...report, findings: [f] }).join('\n') });
  const first = of[0];
  const groups = first ? [{ severity: first.severity, code, count: of.length, examples: items.map(exampleOf) }] : [];
  return { groups, page, lines: findingLines({ ...report, findings: items }) };
}

const strip = ({ all: _all, ...g }: FindingGroup & { all: unknown }): FindingGroup => g;
