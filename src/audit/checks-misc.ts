import { ambiguousApiName, fqdn } from '../domain/names.js';
import { classifyAddress } from './addresses.js';
import type { Sink } from './sink.js';
import { brief } from './sink.js';
import type { ZoneIndex } from './zone-index.js';
import { instruction, ttlFix } from './fix.js';
import { callName, clampTtl } from './fix-sets.js';

export const TTL_LOW = 300;
export const TTL_HIGH = 86400;
/** Delegation NS records conventionally live two days (the TLDs use 172800). */
export const TTL_HIGH_NS = 172800;

export function checkCaa(ix: ZoneIndex, sink: Sink): void {
  if (ix.at('@', 'CAA').length) return;
  sink.add({
    severity: 'info',
    code: 'caa_missing',
    name: '@',
    message: 'No CAA record at the apex: any certificate authority may issue certificates for this domain.',
    fix: 'Add CAA records naming the CAs you use, e.g. 0 issue "letsencrypt.org".',
    // The zone cannot tell which CAs issue for it, and a CA left out can no longer issue.
    fix_call: instruction('Find which certificate authorities issue this domain\'s certificates (the issuer of each certificate in use), then create_record one CAA record at @ per CA, e.g. value 0 issue "letsencrypt.org" (dry_run: true first). A CA left out can no longer issue, so its renewals fail.'),
  });
}

export function checkTtls(ix: ZoneIndex, sink: Sink): void {
  for (const set of ix.rrsets()) {
    const first = set[0];
    if (!first) continue;
    const { name, record_type: type } = first.spec;
    const ttls = [...new Set(set.map((e) => e.spec.ttl))].sort((a, b) => a - b);
    if (ttls.length > 1) {
      sink.add({
        severity: 'warning',
        code: 'ttl_mismatch',
        name,
        message: `The ${type} records at ${name} have different TTLs (${ttls.join(', ')}): the records of one set must share a TTL (RFC 2181 5.2), and resolvers cache the set unpredictably.`,
        fix: `Give the whole set one TTL with update_ttl (zone, name ${name}, record_type ${type}).`,
        // The lowest: resolvers already treat the set as having it (RFC 2181 5.2), so nothing served changes.
        fix_call: ttlFix(ix.zone, callName(name, ix.zone), type, clampTtl(ttls[0] ?? TTL_LOW)),
        entries: set,
      });
    }
    const low = Math.min(...ttls);
    const high = Math.max(...ttls);
    if (low < TTL_LOW) {
      sink.add({
        severity: 'info',
        code: 'ttl_low',
        name,
        message: `The ${type} records at ${name} have a TTL of ${low} s: fine just before a planned change, but it multiplies queries and shortens how long resolvers ride out an outage.`,
        fix: `Raise it to 3600 (or at least ${TTL_LOW}) once the change is done.`,
        fix_call: ttlFix(ix.zone, callName(name, ix.zone), type, 3600, 'Only once the change the low TTL was set for is done: until the new TTL has passed, a further change takes up to an hour to reach resolvers.'),
        entries: set.filter((e) => e.spec.ttl < TTL_LOW),
      });
    }
    const limit = type === 'NS' ? TTL_HIGH_NS : TTL_HIGH;
    if (high > limit) {
      sink.add({
        severity: 'warning',
        code: 'ttl_high',
        name,
        message: `The ${type} records at ${name} have a TTL of ${high} s (over ${limit / 3600} h): a mistake or a move will linger in caches that long.`,
        fix: `Lower it to ${TTL_HIGH} or less (3600 is usual).`,
        fix_call: ttlFix(ix.zone, callName(name, ix.zone), type, limit),
        entries: set.filter((e) => e.spec.ttl > limit),
      });
    }
  }
}

export function checkAddresses(ix: ZoneIndex, sink: Sink): void {
  for (const e of [...ix.ofType('A'), ...ix.ofType('AAAA')]) {
    const cls = classifyAddress(e.spec.value);
    if (!cls) continue;
    if (cls.kind === 'private') {
      sink.add({
        severity: 'warning',
        code: 'private_address',
        name: e.spec.name,
        message: `${brief(e)} is a ${cls.label} address, not reachable from the internet: it leaks an internal address or sends visitors nowhere.`,
        fix: 'Point it at the public address, or keep internal names in an internal DNS (split horizon) instead.',
        fix_call: instruction('Ask whether this name is meant to be public: if so, update_record it to the public address; if not, delete_record it here and keep it in an internal DNS (split horizon).'),
        entries: [e],
      });
    } else {
      sink.add({
        severity: 'info',
        code: 'documentation_address',
        name: e.spec.name,
        message: `${brief(e)} is in a ${cls.label} range, reserved for examples: nothing real answers there.`,
        fix: 'Fine in a demo or a test; in production, replace it with the real address.',
        fix_call: instruction('Leave it if this is a demo or a test zone; in production, update_record it to the real address.'),
        entries: [e],
      });
    }
  }
}

export function checkWildcards(ix: ZoneIndex, sink: Sink): void {
  for (const set of ix.rrsets()) {
    const first = set[0];
    if (!first || !(first.spec.name === '*' || first.spec.name.startsWith('*.'))) continue;
    sink.add({
      severity: 'info',
      code: 'wildcard',
      name: first.spec.name,
      message: `Wildcard ${first.spec.record_type} at ${first.spec.name}: every name below ${first.spec.name === '*' ? 'the apex' : first.spec.name.slice(2)} without records of its own answers with it, including typos and names you did not mean to publish.`,
      fix: 'Keep it only if intended; otherwise create the names you need explicitly and delete the wildcard.',
      fix_call: instruction('Ask whether every name below should answer: if so, keep it; if not, create_record the names you need, then delete_record the wildcard set (whole_set: true).'),
      entries: set,
    });
  }
}

/** Issue 17.3: a provider name without a trailing dot that ends with the zone name reads two ways. */
export function checkAmbiguousNames(ix: ZoneIndex, sink: Sink): void {
  for (const e of ix.entries) {
    const other = ambiguousApiName(e.src.name, ix.zone);
    if (other === null) continue;
    sink.add({
      severity: 'warning',
      code: 'name_ambiguous',
      name: e.spec.name,
      message: `The ${e.spec.record_type} record named "${e.src.name}" may be ${fqdn(e.spec.name, ix.zone)} (the name written in full) or ${other} (a relative name, as the provider stores names): the two cannot be told apart, so plans leave it alone and exports leave it out.`,
      fix: `Delete it by its uuid and create the record you meant with a relative name ("${e.spec.name}", or "@" for the apex).`,
      fix_call: instruction('Ask which name was meant; then delete_record this record by its uuid (`record`) and create_record it again with a relative name.'),
      entries: [e],
    });
  }
}
