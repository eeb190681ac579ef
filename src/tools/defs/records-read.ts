import * as z from 'zod';
import { defineTool } from '../kit/types.js';
import { recordsPage, recordsPageText, truncatedNote, dataBlock, recordLine } from '../kit/format.js';
import { fit, omittedNote, pageArgs, pageOut } from '../kit/budget.js';
import { zoneResourceUri } from '../../resources/kinds.js';
import { nameArg, recordOut, recordTarget, recordTypeArg, zoneArg, zoneOut, zoneRefOut } from '../kit/schemas.js';
import { recordOutOf } from '../kit/output.js';
import { readName, resolveRecord, type ZoneRef } from '../kit/resolve.js';
import { normaliseName } from '../../domain/model.js';
import type { DnsRecord } from '../../api/types.js';

export const listRecords = defineTool({
  name: 'list_records',
  title: 'List records of a zone',
  description:
    'Lists the records of a zone as a zone-file-like table, optionally of one name and/or record_type. A large zone comes in parts (page.next_cursor continues).',
  toolset: 'records',
  essential: true,
  permission: 'dns:list',
  input: z.object({
    zone: zoneArg,
    record_type: recordTypeArg.optional(),
    name: nameArg.optional(),
    ...pageArgs,
  }),
  output: z.object({ zone: zoneOut.pick({ uuid: true, domain: true }), records: z.array(recordOut), truncated: z.boolean(), page: pageOut }),
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ zone, record_type, name, ...paging }, ctx) {
    const ref = await ctx.zones.resolve(zone);
    const res = await ctx.api.listZoneRecords(ref.uuid);
    const wanted = name === undefined ? undefined : (await readName(ctx.zones, ref, name)).name;
    const records = res.items.filter(
      (r) => (!record_type || r.record_type.toUpperCase() === record_type) && (wanted === undefined || normaliseName(r.name, ref.domain) === wanted),
    );
    const { items, page } = recordsPage(records, paging);
    const ways = [...(name === undefined && !record_type ? ['filter with name or record_type'] : []), `read the resource ${zoneResourceUri('records', ref.domain)} (every record, JSON)`];
    return {
      structured: { zone: ref, records: items.map(recordOutOf), truncated: res.truncated, page },
      text: recordsPageText(`Records of ${ref.domain}`, items, page, ways, truncatedNote(res.truncated)),
    };
  },
});

export const searchRecords = defineTool({
  name: 'search_records',
  title: 'Search records',
  description:
    'Records across all zones of the account, optionally of one zone and/or record_type; each says its zone.',
  toolset: 'records',
  permission: 'dns:list',
  input: z.object({ zone: zoneArg.optional().describe('Only this zone.'), record_type: recordTypeArg.optional(), ...pageArgs }),
  output: z.object({ records: z.array(recordOut.extend({ zone: zoneRefOut })), truncated: z.boolean(), page: pageOut }),
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ zone, record_type, ...paging }, ctx) {
    const filter = record_type ? { record_type } : {};
    const found: Array<{ zone: ZoneRef; records: DnsRecord[] }> = [];
    let truncated = false;
    // Records carry no zone field, so the search runs zone by zone: every record then says its zone,
    // and under an allowlist only the permitted zones are asked.
    const zones = zone ? [await ctx.zones.resolve(zone)] : await ctx.zones.visibleZones();
    for (const z of zones) {
      const res = await ctx.api.searchRecords({ ...filter, zone: z.uuid });
      if (res.items.length) found.push({ zone: z, records: res.items });
      truncated ||= res.truncated;
    }
    const all = found.flatMap((f) => f.records.map((r) => ({ ...r, zone: f.zone })));
    const { items, page } = fit(all, { ...paging, text: recordLine, json: (r) => ({ ...recordOutOf(r), zone: r.zone }) });
    const note = truncatedNote(truncated);
    const shownZones = [...new Set(items.map((r) => r.zone))];
    const head = `Matching records: ${page.total} in ${found.length} zone${found.length === 1 ? '' : 's'}${note ? ` (${note})` : ''}`;
    const blocks = shownZones.map((z) => `Zone ${z.domain} (${z.uuid}):\n${dataBlock(items.filter((r) => r.zone === z).map(recordLine))}`);
    const more = omittedNote(page, 'records', [...(zone && record_type ? [] : ['narrow with zone or record_type'])]);
    return { structured: { records: items.map((r) => ({ ...recordOutOf(r), zone: r.zone })), truncated, page }, text: [head, ...blocks, ...(more ? [more] : [])].join('\n') };
  },
});

export const getRecord = defineTool({
  name: 'get_record',
  title: 'Get one record',
  description: 'One record and its zone, picked by `record` or zone + name + record_type (+ value).',
  toolset: 'records',
  permission: 'dns:list',
  input: z.object(recordTarget),
  output: z.object({ record: recordOut, zone: zoneRefOut }),
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const { zone, record } = await resolveRecord(ctx.api, ctx.zones, args);
    return { structured: { record: recordOutOf(record), zone }, text: `Record in zone ${zone.domain} (${zone.uuid}):\n${dataBlock([recordLine(record)])}` };
  },
});
