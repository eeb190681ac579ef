/**
 * Dangling targets and takeover (issue 25.3): CNAME, MX, SRV and NS targets outside the zone,
 * looked up at their authoritative servers. A target that answers NXDOMAIN is dangling; when its
 * registrable domain does not exist at its parent either, anyone can register that domain and
 * answer for the name; under a hosting service's suffix, anyone can claim the resource's name.
 */
import { splitSrv } from '../../domain/values.js';
import { loadSuffixes } from '../../domain/suffixes.js';
import type { AuditRecord } from '../types.js';
import { ZoneIndex, type Entry } from '../zone-index.js';
import { hostingOf } from './hosting.js';
import { deleteFix, instruction } from '../fix.js';
import type { LiveAnswer, LiveCheck, LiveFinding, LiveResolver } from './types.js';

const TYPES = ['CNAME', 'MX', 'SRV', 'NS'] as const;

function targetOf(e: Entry): string | null {
  const v = e.spec.record_type === 'SRV' ? (splitSrv(e.spec.value)?.target ?? '') : e.spec.value;
  const host = v.trim().replace(/\.$/, '').toLowerCase();
  return host === '' ? null : host;
}

/** A target's fate: its address lookup, CNAMEs followed ("no address" needs both A and AAAA empty). */
async function resolveTarget(r: LiveResolver, host: string): Promise<LiveAnswer> {
  const a = await r.lookup(host, 'A');
  if (a.status !== 'nodata') return a;
  const aaaa = await r.lookup(host, 'AAAA');
  return aaaa.status === 'answer' ? aaaa : { ...a, status: aaaa.status === 'budget' ? 'budget' : 'nodata' };
}

/** The registrable domain of a name (public suffix + one label), or null when it is a suffix itself. */
async function registrable(host: string): Promise<string | null> {
  const labels = host.split('.');
  const n = (await loadSuffixes())(host) || 1;
  return labels.length > n ? labels.slice(-(n + 1)).join('.') : null;
}

function use(e: Entry): string {
  const t = e.spec.record_type;
  return t === 'CNAME' ? 'every lookup of the name follows it' : t === 'MX' ? 'mail for the domain is offered to it' : t === 'NS' ? 'resolvers ask it for the delegated names' : 'clients connect to it';
}

async function judge(zone: string, e: Entry, host: string, got: LiveAnswer, r: LiveResolver): Promise<Omit<LiveFinding, 'records'> | null> {
  const src: AuditRecord = e.src;
  const apexNs = e.spec.record_type === 'NS' && e.spec.name === '@';
  const fix = (why: string, tradeoff?: string) => (apexNs ? instruction(`Replace ${host} in the zone's NS set and at the registrar: ${why}.`) : deleteFix(zone, src, tradeoff));
  const end = got.cnames.at(-1)?.value.replace(/\.$/, '') ?? host;
  const via = got.cnames.length ? ` (via CNAME to ${end})` : '';
  const base = { name: e.spec.name, fix: '' };
  if (got.status === 'nxdomain') {
    const domain = await registrable(end);
    const parent = domain ? await r.lookup(domain, 'NS') : null;
    if (parent?.status === 'nxdomain') {
      const message = `${e.spec.record_type} target ${host}${via} does not exist, and neither does its domain ${domain}: anyone can register ${domain} and then answer for it; ${use(e)}.`;
      return { ...base, severity: 'error', code: 'target_domain_unregistered', message, confidence: 'high', fix_call: fix(`${domain} is not registered`) };
    }
    const hosting = hostingOf(end);
    if (hosting && hosting.status === 'vulnerable') {
      const confidence = hosting.signal === 'nxdomain' ? 'high' : 'medium';
      const message = `${e.spec.record_type} target ${host}${via} answers NXDOMAIN under ${hosting.suffix} (${hosting.service}): whoever creates a resource of that name there takes over ${e.spec.name}; ${use(e)}.`;
      return { ...base, severity: 'error', code: 'takeover_risk', message, confidence, fix_call: fix(`${end} no longer exists`, 'or re-create the resource at the provider before anyone else does') };
    }
    const message = `${e.spec.record_type} target ${host}${via} answers NXDOMAIN at its authoritative servers; ${use(e)}.`;
    return { ...base, severity: 'error', code: 'dangling_target', message, fix_call: fix(`${end} does not exist`) };
  }
  if (got.status === 'nodata') {
    const message = `${e.spec.record_type} target ${host}${via} exists but has no A or AAAA record; ${use(e)}.`;
    return { ...base, severity: e.spec.record_type === 'CNAME' ? 'warning' : 'error', code: 'target_no_address', message, fix_call: fix(`${end} has no address`) };
  }
  if (got.status === 'error') {
    const message = `${e.spec.record_type} target ${host}${via} could not be resolved at its authoritative servers (${got.detail.length > 200 ? `${got.detail.slice(0, 200)}...` : got.detail}); resolvers will likely fail too.`;
    return { ...base, severity: 'warning', code: 'target_unresolvable', message, fix_call: instruction(`Check with the operator of ${end} that its nameservers answer; if the target is gone, ${apexNs ? 'replace it' : `delete the record (delete_record ${JSON.stringify({ zone, name: src.name, record_type: src.record_type, value: src.value, dry_run: true })})`}.`) };
  }
  const hosting = hostingOf(end);
  if (got.status === 'answer' && hosting?.signal === 'http' && hosting.status === 'vulnerable') {
    const message = `${e.spec.record_type} target ${host}${via} is on ${hosting.service}, which answers for every name: whether the resource still exists shows only over HTTP${hosting.fingerprint ? ` (a page saying "${hosting.fingerprint}")` : ''}, which this audit does not fetch.`;
    return { ...base, severity: 'info', code: 'takeover_unverified', message, confidence: 'low', fix_call: instruction(`Check that the ${hosting.service} resource ${end} is still yours; if it is gone, delete the record (delete_record with zone, name, record_type and value, dry_run: true).`) };
  }
  return null;
}

export const checkTargets: LiveCheck = async (zone, records, r, opts) => {
  const ix = new ZoneIndex(zone, records);
  const out: LiveFinding[] = [];
  for (const type of TYPES) {
    for (const e of ix.ofType(type)) {
      const host = targetOf(e);
      if (host === null || ix.relative(host + '.') !== null) continue;
      const got = await resolveTarget(r, host);
      if (got.status === 'budget') {
        opts.skip('dangling_target', got.detail, [e.src]);
        continue;
      }
      const f = await judge(ix.zone, e, host, got, r);
      if (f) out.push({ ...f, fix: fixWords(f), records: [{ ...e.src }] });
    }
  }
  return out;
};

function fixWords(f: Omit<LiveFinding, 'records'>): string {
  const c = f.fix_call;
  return 'instruction' in c ? c.instruction : `Delete the record (${c.tool}, dry_run: true first)${c.tradeoff ? `, ${c.tradeoff}` : ''}.`;
}
