import * as z from 'zod';

/** Record types the provider supports (contract: "Records"). */
export const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SRV', 'CAA'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** The provider's permission names. `dns:update` is an assumption of the contract. */
export const PERMISSIONS = ['dns:list', 'dns:create', 'dns:update', 'dns:delete'] as const;
export type Permission = (typeof PERMISSIONS)[number];

// Schemas for what the provider sends us. They are lenient in shape (passthrough of unknown keys,
// nullable where the docs are vague) but strict in content: an id is an id and a domain is a domain
// name, so provider text can only reach a model where it is expected (values, inside data blocks).
/** The docs show ids like `abc123-def456-ghi789` and `rec-001`; the emulator uses RFC 4122 uuids. */
const Id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/, 'not an id (letters, digits, - and _, at most 128)');
/** LDH labels (underscore allowed, RFC 8552), at most 253 characters, an optional trailing dot. */
const DomainName = z.string().max(254).regex(/^(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.)*[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.?$/, 'not a domain name');
/** `@`, a relative name or an FQDN, possibly a wildcard. */
const OwnerName = z.union([z.literal('@'), z.string().max(254).regex(/^(?:\*|[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/, 'not a record name')]);
const Timestamp = z.string().regex(/^[0-9][0-9T:.+\- Z]{0,39}$/, 'not an ISO 8601 time');
const Label = z.string().max(256);

/**
 * An NS value names a host that check_propagation and check_delegation go on to ask. A single
 * label (`localhost`) is no nameserver on the Internet, and a lookup would take it to this
 * machine or its LAN: such a record is refused here, before any tool can use it.
 */
const singleLabelNs = (r: { record_type: string; value: string }) => r.record_type.toUpperCase() === 'NS' && !/\./.test(r.value.trim().replace(/\.$/, ''));

export const DnsRecordSchema = z
  .looseObject({
    uuid: Id,
    record_type: z.string().regex(/^[A-Za-z0-9]{1,16}$/, 'not a record type'),
    name: OwnerName,
    value: z.string().max(65_535),
    ttl: z.number(),
    priority: z.number().nullable().optional(),
    created_at: Timestamp.optional(),
  })
  .refine((r) => !singleLabelNs(r), {
    path: ['value'],
    message: 'an NS record names a single-label host (like "localhost"), which is no nameserver on the Internet; fix or delete that record in the VPS.org control panel',
  });
export type DnsRecord = z.infer<typeof DnsRecordSchema>;

export const ZoneSummarySchema = z.looseObject({
  uuid: Id,
  domain: DomainName,
  created_at: Timestamp.optional(),
  record_count: z.number().optional(),
});
export type ZoneSummary = z.infer<typeof ZoneSummarySchema>;

export const ZoneDetailSchema = ZoneSummarySchema.extend({
  records: z.array(DnsRecordSchema).optional(),
});
export type ZoneDetail = z.infer<typeof ZoneDetailSchema>;

export const AccountInfoSchema = z.looseObject({
  account: z.looseObject({
    email: Label.optional(),
    first_name: Label.optional(),
    last_name: Label.optional(),
    company_name: Label.nullable().optional(),
    created_at: Timestamp.optional(),
  }),
  token: z.looseObject({
    name: Label.optional(),
    permissions: z.array(z.string().regex(/^[A-Za-z0-9_.*-]{1,32}(?::[A-Za-z0-9_.*-]{1,32})?$/, 'not a permission name')).max(100),
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
  /** Items left out because they were not in the documented shape (zone listings only): where, and why, in our words. */
  skipped?: string[];
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
