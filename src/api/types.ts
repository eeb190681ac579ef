import * as z from 'zod';

/** Record types the provider supports (contract: "Records"). */
export const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SRV', 'CAA'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** The provider's permission names. `dns:update` is an assumption of the contract. */
export const PERMISSIONS = ['dns:list', 'dns:create', 'dns:update', 'dns:delete'] as const;
export type Permission = (typeof PERMISSIONS)[number];

// Schemas for what the provider sends us. They are lenient (passthrough of unknown keys,
// nullable where the docs are vague) because the provider is outside our control.
export const DnsRecordSchema = z.looseObject({
  uuid: z.string(),
  record_type: z.string(),
  name: z.string(),
  value: z.string(),
  ttl: z.number(),
  priority: z.number().nullable().optional(),
  created_at: z.string().optional(),
});
export type DnsRecord = z.infer<typeof DnsRecordSchema>;

export const ZoneSummarySchema = z.looseObject({
  uuid: z.string(),
  domain: z.string(),
  created_at: z.string().optional(),
  record_count: z.number().optional(),
});
export type ZoneSummary = z.infer<typeof ZoneSummarySchema>;

export const ZoneDetailSchema = ZoneSummarySchema.extend({
  records: z.array(DnsRecordSchema).optional(),
});
export type ZoneDetail = z.infer<typeof ZoneDetailSchema>;

export const AccountInfoSchema = z.looseObject({
  account: z.looseObject({
    email: z.string().optional(),
    first_name: z.string().optional(),
    last_name: z.string().optional(),
    company_name: z.string().nullable().optional(),
    created_at: z.string().optional(),
  }),
  token: z.looseObject({
    name: z.string().optional(),
    permissions: z.array(z.string()),
  }),
});
export type AccountInfo = z.infer<typeof AccountInfoSchema>;

/** A record as sent to the provider on create/PUT. */
export interface RecordInput {
  record_type: RecordType;
  name: string;
  value: string;
  ttl?: number;
  priority?: number | null;
}

/** A list read to its end, or cut by the page bound (then `truncated` is true). */
export interface ListResult<T> {
  items: T[];
  truncated: boolean;
}

/** Everything the tools need from the provider. Implemented over HTTP by `createApiClient`. */
export interface VpsApi {
  whoami(): Promise<AccountInfo>;
  listZones(filter?: { domain?: string }): Promise<ListResult<ZoneSummary>>;
  getZone(zoneUuid: string): Promise<ZoneDetail>;
  createZone(domain: string): Promise<ZoneDetail>;
  deleteZone(zoneUuid: string): Promise<void>;
  listZoneRecords(zoneUuid: string): Promise<ListResult<DnsRecord>>;
  createRecord(zoneUuid: string, body: RecordInput): Promise<DnsRecord>;
  searchRecords(filter: { zone?: string; record_type?: string }): Promise<ListResult<DnsRecord>>;
  getRecord(recordUuid: string): Promise<DnsRecord>;
  putRecord(recordUuid: string, body: RecordInput): Promise<DnsRecord>;
  patchRecord(recordUuid: string, body: Partial<RecordInput>): Promise<DnsRecord>;
  deleteRecord(recordUuid: string): Promise<void>;
}
