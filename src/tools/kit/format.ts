import type { DnsRecord, ZoneSummary } from '../../api/types.js';
import { dataBlock, dataLine } from '../../domain/display.js';
import { fit, omittedNote, type Page } from './budget.js';
import { recordOutOf } from './output.js';
import { warningLines, type ChangeWarning } from '../../audit/after-change.js';

/** The one escaping path lives in domain/display.ts (below tools/ and safety/); re-exported for the tools. */
export { dataBlock, dataLine };

function quoteTxt(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** One zone-file-like line: `www 3600 IN MX 10 mail.example.com ; #3f2a9c1e` (the uuid's first 8 characters, which `record` accepts). */
export function recordLine(r: Pick<DnsRecord, 'name' | 'ttl' | 'record_type' | 'value' | 'priority'> & { uuid?: string }): string {
  const prio = r.priority != null && (r.record_type === 'MX' || r.record_type === 'SRV') ? `${r.priority} ` : '';
  const value = r.record_type === 'TXT' ? quoteTxt(r.value) : r.value;
  return `${r.name} ${r.ttl} IN ${r.record_type} ${prio}${value}${r.uuid ? ` ; #${r.uuid.slice(0, 8)}` : ''}`;
}

export function recordsText(title: string, records: DnsRecord[], note?: string): string {
  const head = `${title}: ${records.length} record${records.length === 1 ? '' : 's'}${note ? ` (${note})` : ''}`;
  return records.length ? `${head}\n${dataBlock(records.map(recordLine))}` : head;
}

export function zoneLine(z: ZoneSummary): string {
  return `${z.domain} ${z.record_count ?? '?'} records ; ${z.uuid}`;
}

export function truncatedNote(truncated: boolean): string | undefined {
  return truncated ? 'list cut at the page limit: narrow the query' : undefined;
}

/** The records that fit the result budget from the cursor on (see budget.ts), with their page. */
export function recordsPage(records: DnsRecord[], args: { limit?: number | undefined; cursor?: string | undefined }, jsonOf: (r: DnsRecord) => unknown = recordOutOf) {
  return fit(records, { limit: args.limit, cursor: args.cursor, text: recordLine, json: jsonOf });
}

/** A page of records as text: the head counts them all, the note says what was left out and how to get it. */
export function recordsPageText(title: string, shown: DnsRecord[], page: Page, ways: string[], note?: string): string {
  const head = `${title}: ${page.total} record${page.total === 1 ? '' : 's'}${note ? ` (${note})` : ''}`;
  const more = omittedNote(page, 'records', ways);
  return [head, ...(shown.length ? [dataBlock(shown.map(recordLine))] : []), ...(more ? [more] : [])].join('\n');
}

/** The audit findings a change would add, for a result's text (messages quote record data: inside a data block). */
export function warningsText(ws: readonly ChangeWarning[]): string {
  return ws.length ? `\nWarnings: this change would add these audit findings (ones the zone already has are not repeated):\n${dataBlock(warningLines(ws))}` : '';
}
