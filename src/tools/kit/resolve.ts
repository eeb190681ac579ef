import type { DnsRecord, VpsApi } from '../../api/types.js';
import { UserError, ValidationError } from '../../errors.js';
import { NotFoundError } from '../../api/errors.js';
import { normaliseName, normaliseValue, normaliseZone } from '../../domain/model.js';
import { comparableValue } from '../../domain/values.js';
import { RECORD_TYPES, type RecordType } from '../../api/types.js';
import { dataBlock, recordLine } from './format.js';
import { readName } from './owner-names.js';
import { ownerLabel, zoneAllowed } from '../../domain/names.js';

export { readName, readNames } from './owner-names.js';

export interface ZoneRef {
  uuid: string;
  domain: string;
}

/** A zone argument is a domain name (it has a dot) or the zone's uuid (it never does). */
export function isDomainArg(zone: string): boolean {
  return zone.includes('.');
}

/** A zone's domain as the record model keeps it (lower-case, no trailing dot). */
export const canonicalDomain = normaliseZone;

export { zoneAllowed } from '../../domain/names.js';

/**
 * Turns the `zone` argument into the zone's uuid and domain, and enforces VPSORG_ALLOWED_ZONES
 * on every path: a domain outside the list is refused before any request; a uuid is looked up
 * through the zone list (never through the zone itself) and refused when its domain is outside.
 */
export class ZoneResolver {
  constructor(
    private readonly api: VpsApi,
    readonly allowed: readonly string[] | null,
  ) {}

  assertAllowed(domain: string): void {
    if (!zoneAllowed(domain, this.allowed)) {
      throw new UserError(`Zone ${canonicalDomain(domain)} is outside VPSORG_ALLOWED_ZONES (${this.allowed?.join(', ')}).`, {
        code: 'policy',
        field: 'zone',
        hint: 'Use a zone on the allowlist, or ask the operator to widen VPSORG_ALLOWED_ZONES.',
      });
    }
  }

  async resolve(zone: string): Promise<ZoneRef> {
    const arg = zone.trim();
    if (!arg) throw new ValidationError([{ field: 'zone', rule: 'required', message: 'give the zone as a domain name or a zone uuid', example: 'example.com' }]);
    if (isDomainArg(arg)) {
      const domain = canonicalDomain(arg);
      this.assertAllowed(domain);
      const { items } = await this.api.listZones({ domain });
      const hit = items.find((z) => canonicalDomain(z.domain) === domain);
      if (!hit) {
        throw new UserError(`No zone ${domain} in this account.`, { code: 'not_found', field: 'zone', hint: 'list_zones shows the zones you have; create_zone creates one.' });
      }
      return { uuid: hit.uuid, domain };
    }
    if (this.allowed !== null) {
      const { items } = await this.api.listZones();
      const hit = items.find((z) => z.uuid === arg);
      if (!hit) throw new UserError(`No zone with uuid ${arg} in this account.`, { code: 'not_found', field: 'zone', hint: 'list_zones shows zone uuids and domains.' });
      this.assertAllowed(hit.domain);
      return { uuid: hit.uuid, domain: canonicalDomain(hit.domain) };
    }
    const z = await this.api.getZone(arg);
    return { uuid: z.uuid, domain: canonicalDomain(z.domain) };
  }

  /** The zones this policy lets a tool see, for tools that span zones. */
  async visibleZones(): Promise<ZoneRef[]> {
    const { items } = await this.api.listZones();
    return items.filter((z) => zoneAllowed(z.domain, this.allowed)).map((z) => ({ uuid: z.uuid, domain: canonicalDomain(z.domain) }));
  }
}

const UUID_LENGTH = 36;
const MIN_PREFIX = 8;
/**
 * A record found by a uuid prefix alone is looked for zone by zone (the API lists records per zone
 * and takes no prefix): at most this many zones per call, so a 400-zone account does not cost 400
 * requests; beyond it the call asks for `zone`, which the list that showed the id names. (A full
 * uuid is asked of the API first, so only a record that exists is looked for.)
 */
export const MAX_ZONES_SCANNED = 20;

export interface RecordTarget {
  record?: string | undefined;
  zone?: string | undefined;
  name?: string | undefined;
  record_type?: string | undefined;
  value?: string | undefined;
}

/** The target of a tool that takes `record` (uuid) or zone + name + record_type, with `value` picking one of several. */
export function recordTargetOf(args: Omit<RecordTarget, 'value'>, value: string | undefined): RecordTarget {
  return args.record ? { record: args.record, zone: args.zone } : { zone: args.zone, name: args.name, record_type: args.record_type, value };
}

export interface ResolvedRecord {
  zone: ZoneRef;
  record: DnsRecord;
  /** Every record matched (more than one only with `allowMany`). */
  all: DnsRecord[];
}

export interface ResolveOptions {
  /** Return every record at name + type instead of refusing an ambiguous match. */
  allowMany?: boolean;
  /** Another way out of an ambiguous match, said in its hint (delete_record: the whole set). */
  orAmbiguous?: string;
}

/** Candidate records in an error: provider data, so inside a data block like every other value. */
function candidateBlock(rs: DnsRecord[]): string {
  return `\n${dataBlock(rs.map((r) => `${recordLine(r)} (uuid ${r.uuid})`))}`;
}

function sameValue(type: RecordType, a: string, b: string, zone: string): boolean {
  return comparableValue(type, normaliseValue(type, a, zone).value) === comparableValue(type, normaliseValue(type, b, zone).value);
}

/**
 * The zones a full record uuid may be in, most likely first. The API answers for the record itself
 * (GET /dns-records/{uuid}/), but not for its zone: a missing record then costs one call instead of
 * a scan of every zone, and a record named by its FQDN is looked for in the zones that name ends in.
 */
async function likelyZones(api: VpsApi, zones: ZoneResolver, id: string): Promise<ZoneRef[]> {
  const record = await api.getRecord(id).catch((err: unknown) => {
    if (err instanceof NotFoundError) return null;
    throw err;
  });
  if (!record) return [];
  const name = record.name.toLowerCase().replace(/\.$/, '');
  const holds = (z: ZoneRef) => (name === z.domain || name.endsWith(`.${z.domain}`) ? z.domain.length : 0);
  // The record exists (one request said so): its zone is looked for, most likely first, until found.
  return (await zones.visibleZones()).sort((a, b) => holds(b) - holds(a));
}

function uuidPastCut(cut: { zone: ZoneRef; read: number }, id: string, prefix: boolean): UserError {
  return new UserError(`${cut.zone.domain} has more records than this server reads in one listing (VPS.org's listing was cut after ${cut.read} records), so ${prefix ? `which record's uuid starts with ${id}` : `whether record ${id} is in it`} cannot be told. Nothing was changed.`, {
    code: 'too_large',
    field: 'record',
    hint: prefix ? 'Give the whole uuid (shown in the VPS.org panel).' : 'Make this change in the VPS.org panel: a record past the cut cannot be reached here.',
  });
}

function bounded(candidates: ZoneRef[], id: string): ZoneRef[] {
  if (candidates.length <= MAX_ZONES_SCANNED) return candidates;
  throw new ValidationError(
    [{ field: 'zone', rule: 'required', message: `finding record ${id} without its zone would read ${candidates.length} zones one by one (at most ${MAX_ZONES_SCANNED} are read per call): give \`zone\` too, the zone whose list showed this record`, example: 'example.com' }],
    '',
    `Which zone is record ${id} in? This account has ${candidates.length} zones, more than the ${MAX_ZONES_SCANNED} one call looks through for a uuid: give \`zone\` too (the zone whose list showed this record). Nothing was sent.`,
  );
}

/** Finds the one record a tool targets: by `record` uuid, or by zone + name + record_type (+ value). */
export async function resolveRecord(api: VpsApi, zones: ZoneResolver, t: RecordTarget, opts: ResolveOptions = {}): Promise<ResolvedRecord> {
  if (t.record) {
    const id = t.record.trim().toLowerCase();
    // Lists show the first 8 characters of each uuid (full uuids cost the agent's context dearly);
    // a prefix is accepted wherever a uuid is, and must name exactly one record.
    const prefix = id.length < UUID_LENGTH;
    if (prefix && id.length < MIN_PREFIX) {
      throw new ValidationError([{ field: 'record', rule: 'uuid', message: `give the record uuid or at least its first ${MIN_PREFIX} characters`, example: '3f2a9c1e' }]);
    }
    // The record is found inside a permitted zone, so a uuid can't reach a record elsewhere under an
    // allowlist, and every result can say which zone the record is in.
    const candidates = t.zone ? [await zones.resolve(t.zone)] : prefix ? bounded(await zones.visibleZones(), id) : await likelyZones(api, zones, t.record.trim());
    const hits: Array<{ zone: ZoneRef; record: DnsRecord }> = [];
    const cut: Array<{ zone: ZoneRef; read: number }> = [];
    for (const z of candidates) {
      const { items, truncated } = await api.listZoneRecords(z.uuid);
      if (truncated) cut.push({ zone: z, read: items.length });
      for (const r of items) if (prefix ? r.uuid.toLowerCase().startsWith(id) : r.uuid.toLowerCase() === id) hits.push({ zone: z, record: r });
      if (!prefix && hits.length) break;
    }
    const hit = hits[0];
    // A cut listing proves neither that a uuid is absent nor that a prefix names one record only.
    if (cut[0] && (hits.length === 0 || (hits.length === 1 && prefix))) throw uuidPastCut(cut[0], id, prefix);
    if (hits.length === 1 && hit) return { zone: hit.zone, record: hit.record, all: [hit.record] };
    if (hits.length > 1) {
      throw new UserError(`${hits.length} records have uuids starting with ${id}.`, { code: 'ambiguous', field: 'record', hint: `Give more characters of the uuid. Candidates:${candidateBlock(hits.map((h) => h.record))}` });
    }
    const where = t.zone ? `zone ${candidates[0]?.domain}` : zones.allowed ? 'the allowed zones' : 'any zone of this account';
    throw new UserError(`Record not found: no record with uuid ${prefix ? 'starting with ' : ''}${id} in ${where}.`, {
      code: 'not_found',
      field: 'record',
      hint: 'list_records shows record ids.',
    });
  }
  const missing = (['zone', 'name', 'record_type'] as const).filter((k) => !t[k]);
  if (missing.length) {
    throw new ValidationError(
      missing.map((f) => ({ field: f, rule: 'required', message: 'give `record` (the record uuid), or `zone` + `name` + `record_type` (+ `value` to pick one of several)' })),
      'Which record?',
    );
  }
  const type = (t.record_type as string).toUpperCase();
  if (!(RECORD_TYPES as readonly string[]).includes(type)) {
    throw new ValidationError([{ field: 'record_type', rule: 'enum', message: `must be one of ${RECORD_TYPES.join(', ')}`, example: 'A' }]);
  }
  const zone = await zones.resolve(t.zone as string);
  const { name } = await readName(zones, zone, t.name as string);
  const at = ownerLabel(name, zone.domain);
  const { items, truncated } = await api.listZoneRecords(zone.uuid);
  const atName = items.filter((r) => normaliseName(r.name, zone.domain) === name && r.record_type.toUpperCase() === type);
  const matches = t.value === undefined ? atName : atName.filter((r) => sameValue(type as RecordType, r.value, t.value as string, zone.domain));
  // A cut listing proves neither absence nor uniqueness, nor a whole set: only a record found by its value is certain.
  const certain = (matches.length === 1 && t.value !== undefined) || (matches.length > 1 && !opts.allowMany);
  if (truncated && !certain) {
    throw new UserError(`${zone.domain} has more records than this server reads in one listing (VPS.org's listing was cut after ${items.length} records), so which ${type} records are at ${at} cannot be told. Nothing was changed.`, {
      code: 'too_large',
      field: 'record',
      hint: 'Pick the record by `record` (its uuid, shown in the VPS.org panel), or give `value` too.',
    });
  }
  if (matches.length === 1 || (opts.allowMany && matches.length > 1)) return { zone, record: matches[0] as DnsRecord, all: matches };
  if (matches.length === 0) {
    throw new UserError(`No ${type} record at ${at} in ${zone.domain}${t.value !== undefined ? ` with value ${JSON.stringify(t.value)}` : ''}.`, {
      code: 'not_found',
      field: t.value !== undefined && atName.length ? 'value' : 'name',
      hint: atName.length ? `Records there:${candidateBlock(atName)}` : 'list_records shows the zone.',
    });
  }
  throw new UserError(`${matches.length} ${type} records at ${at} in ${zone.domain}; say which one.`, {
    code: 'ambiguous',
    field: 'value',
    hint: `Pass \`value\` or \`record\`${opts.orAmbiguous ? `, or ${opts.orAmbiguous}` : ''}. Candidates:${candidateBlock(matches)}`,
    details: { candidates: matches },
  });
}
