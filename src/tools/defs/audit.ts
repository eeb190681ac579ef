import * as z from 'zod';
import { defineTool } from '../kit/types.js';
import { zoneArg, zoneOut } from '../kit/schemas.js';
import { dataBlock } from '../kit/format.js';
import { auditZone, exampleOf, findingLines, groupFindings, groupsText, notCheckedLines, notCheckedSummary, summaryLine, type AuditReport, type FindingGroup } from '../../audit/index.js';
import { fit, omittedNote, pageArgs, pageOut } from '../kit/budget.js';
import { liveLine, runLiveAudit } from '../kit/live-audit.js';
import { previewForAudit } from '../kit/preview.js';
import { ValidationError } from '../../errors.js';
import type { LiveReport } from '../../audit/live/index.js';

/** What a fix call's arguments hold: scalars, and apply_zone's records (flat objects of scalars). */
const fixScalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const fixArgValue = z.union([fixScalar, z.array(z.record(z.string(), fixScalar))]);

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
  fix_call: z
    .union([z.object({ tool: z.string(), arguments: z.record(z.string(), fixArgValue), tradeoff: z.string().optional() }), z.object({ instruction: z.string() })])
    .describe('The call that fixes it, a dry run (make it next; the gate judges it), or what a person must decide or do outside VPS.org.'),
  confidence: z.enum(['high', 'medium', 'low']).optional(),
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
    'Checks a zone for common mistakes (dangling CNAMEs, MX/NS/SRV targets without address, SPF, DMARC, CAA, TTL outliers, private addresses, wildcards), each with severity, records and the call that fixes it. Findings of one code come as one entry with examples; `code` lists them all. live: true also resolves outside targets (dangling, takeover), delegations and DS at the authoritative servers, within a lookup budget.',
  toolset: 'audit',
  permission: 'dns:list',
  input: z.object({ zone: zoneArg, live: z.boolean().optional().describe('Also look outside the zone (DNS lookups).'), preview: z.string().max(64).optional().describe('With live: a preview id (plan_zone): audit the planned zone.'), code: z.string().max(64).optional().describe('Every finding of this code (e.g. private_address).'), ...pageArgs }),
  output: z.object({
    zone: zoneOut.pick({ uuid: true, domain: true }),
    record_count: z.number(),
    counts: z.object({ error: z.number(), warning: z.number(), info: z.number() }),
    findings: z.array(groupOut).describe('One entry per kind of finding, most severe first.'),
    page: pageOut.describe('Which findings groups are shown (with `code`: which findings of that code).'),
    not_checked: z.array(z.object({ check: z.string(), reason: z.string(), count: z.number(), records: z.array(auditRecordOut).describe('The first few.') })),
    live: z.object({ lookups: z.number(), elapsed_ms: z.number(), exhausted: z.string().nullable() }).optional(),
  }),
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ zone, code, live, preview, ...paging }, ctx) {
    const ref = await ctx.zones.resolve(zone);
    if (preview !== undefined && !live) throw new ValidationError([{ field: 'preview', rule: 'with_live', message: 'a preview is audited live: add live: true' }]);
    // A preview (issue 25.6): its records, and its nameserver in front of the resolver for its zone.
    const pv = preview === undefined ? undefined : await previewForAudit(ctx, preview, ref);
    const items = pv ? pv.records : (await ctx.api.listZoneRecords(ref.uuid)).items;
    const records = items.map((r) => ({ ...('uuid' in r && typeof r.uuid === 'string' ? { uuid: r.uuid } : {}), name: r.name, record_type: r.record_type, value: r.value, ttl: r.ttl, priority: r.priority ?? null }));
    const report = live ? await runLiveAudit(ctx.config, ref.domain, records, ctx.signal, pv?.wrap) : auditZone(ref.domain, records);
    const { groups, page, lines: shown } = code === undefined ? allGroups(report, paging) : oneCode(report, code, paging);
    const lines = [summaryLine(report), ...('live' in report ? [liveLine(report as LiveReport)] : [])];
    if (shown.length) lines.push(dataBlock(shown));
    const more = omittedNote(page, code === undefined ? 'kinds of finding' : `${code} findings`, []);
    if (more) lines.push(more);
    const skipped = notCheckedLines(report);
    if (skipped.length) lines.push(`Not checked:\n${dataBlock(skipped)}`);
    if (report.counts.error + report.counts.warning > 0) lines.push('Nothing was changed. Fix a finding with its fix call (a dry run first), then run audit_zone again.');
    return {
      structured: { zone: ref, record_count: report.record_count, counts: report.counts, findings: groups, page, not_checked: report.not_checked.map(notCheckedSummary), ...('live' in report ? { live: (report as LiveReport).live } : {}) },
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
