import { ApiError, invalid } from './api-error.js';
import type { RecordRow } from './persist.js';
import type { RecordFields } from './validate.js';
import { canonicalValue } from './values.js';

/**
 * Rules that span records of a zone. The provider generates BIND zone files, and BIND
 * refuses a CNAME beside other data at the same name (RFC 1034 section 3.6.2), including
 * at the apex where the SOA and NS live; an identical record would be a silent duplicate.
 */
export function checkConflicts(zoneRecords: RecordRow[], f: RecordFields, self: string | undefined): void {
  const others = zoneRecords.filter((r) => r.uuid !== self);
  const label = f.name === '@' ? 'the apex (@)' : f.name;
  const key = canonicalValue(f.record_type, f.value);
  if (others.some((r) => r.record_type === f.record_type && r.name === f.name && canonicalValue(r.record_type, r.value) === key)) {
    throw new ApiError(400, 'duplicate_record', `duplicate record: an identical ${f.record_type} record for ${label} with this value already exists in this zone`);
  }
  if (f.record_type === 'CNAME' && f.name === '@') {
    throw invalid('name', 'A CNAME record cannot be at the zone apex (@), which holds the SOA and NS records; use an A/AAAA record there', 'cname_conflict');
  }
  const atName = others.filter((r) => r.name === f.name);
  if (f.record_type === 'CNAME' && atName.length > 0) {
    throw invalid('name', `${label} already has ${atName.map((r) => r.record_type).join(', ')} record(s); a CNAME must be the only record at its name. Delete them first`, 'cname_conflict');
  }
  if (f.record_type !== 'CNAME' && atName.some((r) => r.record_type === 'CNAME')) {
    throw invalid('name', `${label} has a CNAME record, so no other record can be added at that name. Delete the CNAME first or use another name`, 'cname_conflict');
  }
}
