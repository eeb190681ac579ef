import * as z from 'zod';
import { defineTool } from './types.js';
import { recordsText, truncatedNote, dataBlock, recordLine } from './format.js';
import { nameArg, recordOut, recordTarget, recordTypeArg, zoneArg, zoneOut } from './schemas.js';
import { recordOutOf } from './output.js';
import { resolveRecord } from './resolve.js';
import { normaliseName } from '../domain/model.js';
import type { DnsRecord } from '../api/types.js';

export const listRecords = defineTool({
  name: 'list_records',
  title: 'List records of a zone',
  description: 'Lists the records of one zone as a zone-file-like table, optionally only one record_type and/or one name. Read-only.',
  toolset: 'records',
  permission: 'dns:list',
  input: z.object({
    zone: zoneArg,
    record_type: recordTypeArg.optional().describe('Only records of this type.'),
    name: nameArg.optional().describe('Only records at this name ("@", "www" or an FQDN).'),
  }),
  output: z.object({ zone: zoneOut.pick({ uuid: true, domain: true }), records: z.array(recordOut), truncated: z.boolean() }),
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ zone, record_type, name }, ctx) {
    const ref = await ctx.zones.resolve(zone);
    const res = await ctx.api.listZoneRecords(ref.uuid);
    const wanted = name === undefined ? undefined : normaliseName(name, ref.domain);
    const records = res.items.filter(
      (r) => (!record_type || r.record_type.toUpperCase() === record_type) && (wanted === undefined || normaliseName(r.name, ref.domain) === wanted),
    );
    return {
      structured: { zone: ref, records: records.map(recordOutOf), truncated: res.truncated },
      text: recordsText(`Records of ${ref.domain}`, records, truncatedNote(res.truncated)),
    };
  },
});

export const searchRecords = defineTool({
  name: 'search_records',
  title: 'Search records',
  description:
    'Searches records across zones with the provider\'s record index (GET /dns-records/), filtered by zone and/or record_type. Without filters it lists every record the account has. Use list_records for one zone with name filtering.',
  toolset: 'records',
  permission: 'dns:list',
  input: z.object({ zone: zoneArg.optional().describe('Only records of this zone (domain or uuid).'), record_type: recordTypeArg.optional().describe('Only records of this type.') }),
  output: z.object({ records: z.array(recordOut), truncated: z.boolean() }),
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ zone, record_type }, ctx) {
    const filter = record_type ? { record_type } : {};
    let items: DnsRecord[] = [];
    let truncated = false;
    // Records carry no zone field, so under an allowlist a search runs zone by zone over the permitted ones.
    const zones = zone ? [await ctx.zones.resolve(zone)] : ctx.zones.allowed ? await ctx.zones.visibleZones() : [null];
    for (const z of zones) {
      const res = await ctx.api.searchRecords(z ? { ...filter, zone: z.uuid } : filter);
      items = items.concat(res.items);
      truncated ||= res.truncated;
    }
    return { structured: { records: items.map(recordOutOf), truncated }, text: recordsText('Matching records', items, truncatedNote(truncated)) };
  },
});

export const getRecord = defineTool({
  name: 'get_record',
  title: 'Get one record',
  description: 'Shows one record, named by `record` (uuid) or by zone + name + record_type (+ value when several share the name and type).',
  toolset: 'records',
  permission: 'dns:list',
  input: z.object(recordTarget),
  output: z.object({ record: recordOut, zone: zoneOut.pick({ uuid: true, domain: true }).nullable() }),
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const { zone, record } = await resolveRecord(ctx.api, ctx.zones, args);
    return { structured: { record: recordOutOf(record), zone }, text: `Record${zone ? ` in ${zone.domain}` : ''}:\n${dataBlock([recordLine(record)])}` };
  },
});
