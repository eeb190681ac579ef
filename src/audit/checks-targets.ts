import { splitSrv } from '../domain/values.js';
import type { Sink } from './sink.js';
import type { Entry, ZoneIndex } from './zone-index.js';
import { danglingCnameFix, targetCnameFix, targetNoAddressFix } from './fix-targets.js';

const OUTSIDE = 'the target is outside the zone; the audit makes no network lookups, so it was not resolved';
const DELEGATED = 'the target lies below a delegation, so its records live in another zone';

/** A CNAME whose in-zone target has no records sends every lookup of its name to NODATA/NXDOMAIN. */
export function checkCnames(ix: ZoneIndex, sink: Sink): void {
  for (const e of ix.ofType('CNAME')) {
    const target = ix.relative(e.spec.value);
    if (target === null) {
      sink.skip('dangling_cname', OUTSIDE, [e]);
      continue;
    }
    if (ix.delegation(target)) {
      sink.skip('dangling_cname', DELEGATED, [e]);
      continue;
    }
    if (ix.answering(target).length) continue;
    sink.add({
      severity: 'error',
      code: 'dangling_cname',
      name: e.spec.name,
      message: `The CNAME target ${e.spec.value} has no records in the zone: every lookup of ${e.spec.name} fails.`,
      fix: `Create the records at ${target}, point the CNAME at a name that exists, or delete the CNAME.`,
      fix_call: danglingCnameFix(ix, e),
      entries: [e],
    });
  }
}

function targetOf(e: Entry): string {
  if (e.spec.record_type !== 'SRV') return e.spec.value;
  return splitSrv(e.spec.value)?.target ?? e.spec.value;
}

/**
 * MX, NS and SRV targets must be host names with address records, never aliases
 * (RFC 2181 10.3, RFC 2782). A target of `.` means "no service" (RFC 7505 null MX, RFC 2782).
 */
export function checkHostTargets(ix: ZoneIndex, sink: Sink): void {
  for (const type of ['MX', 'NS', 'SRV'] as const) {
    const lower = type.toLowerCase();
    for (const e of ix.ofType(type)) {
      const value = targetOf(e);
      if (value === '.') continue;
      const target = ix.relative(value);
      if (target === null) {
        sink.skip(`${lower}_target`, OUTSIDE, [e]);
        continue;
      }
      // Glue: an NS target below its own delegation must have its addresses in this zone.
      if (type !== 'NS' && ix.delegation(target)) {
        sink.skip(`${lower}_target`, DELEGATED, [e]);
        continue;
      }
      const there = ix.answering(target);
      if (there.some((r) => r.spec.record_type === 'CNAME')) {
        sink.add({
          severity: 'error',
          code: `${lower}_target_cname`,
          name: e.spec.name,
          message: `The ${type} target ${value} is a CNAME: ${type} targets must not be aliases (${type === 'SRV' ? 'RFC 2782' : 'RFC 2181 10.3'}), and many servers refuse or mishandle them.`,
          fix: `Point the ${type} record at the canonical host name (the CNAME's target), or replace the CNAME at ${target} with A/AAAA records.`,
          fix_call: targetCnameFix(ix, e, target),
          entries: [e],
        });
        continue;
      }
      if (there.some((r) => r.spec.record_type === 'A' || r.spec.record_type === 'AAAA')) continue;
      sink.add({
        severity: 'error',
        code: `${lower}_target_no_address`,
        name: e.spec.name,
        message: `The ${type} target ${value} has no A or AAAA record in the zone: ${type === 'MX' ? 'mail to this domain cannot be delivered there' : type === 'NS' ? 'resolvers cannot reach this nameserver' : 'clients cannot reach the service'}.`,
        fix: `Create an A (and/or AAAA) record at ${target}, or point the ${type} record at a host that has one.`,
        fix_call: targetNoAddressFix(ix, e),
        entries: [e],
      });
    }
  }
}
