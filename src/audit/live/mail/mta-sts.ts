/**
 * MTA-STS (RFC 8461) and TLS-RPT (RFC 8460) as served. The `_mta-sts` TXT record announces a
 * policy (its `id` changes whenever the policy does); the policy itself is fetched over HTTPS
 * only when the operator allows outbound HTTP (VPSORG_AUDIT_HTTP=1), and every MX host must be
 * covered by its `mx` lines, or senders that enforce it refuse to deliver.
 */
import type { AuditRecord } from '../../types.js';
import type { LiveFinding, LiveResolver } from '../types.js';
import { at, finding, instruction, replaceTxt } from './fix.js';
import { fetchPolicy, mxCovered, parsePolicy } from './mta-sts-policy.js';
import { servedMx } from './mx.js';
import type { MailOptions } from './options.js';

const isSts = (t: string) => /^v=STSv1\s*(;|$)/i.test(t.trim());
const isTlsRpt = (t: string) => /^v=TLSRPTv1\s*(;|$)/i.test(t.trim());
const tag = (t: string, k: string) => new RegExp(`(?:^|;)\\s*${k}\\s*=\\s*([^;]*)`, 'i').exec(t)?.[1]?.trim();

/** A new policy id: the time, as RFC 8461 3.1 suggests (1-32 letters and digits). */
const newId = () => new Date().toISOString().replace(/\D/g, '').slice(0, 14);

export async function checkMtaStsLive(zone: string, records: readonly AuditRecord[], resolver: LiveResolver, opts: MailOptions = {}): Promise<LiveFinding[]> {
  const rel = '_mta-sts';
  const own = at(records, rel, 'TXT').filter((r) => isSts(r.value));
  const got = await resolver.lookup(`${rel}.${zone}`, 'TXT');
  if (got.status === 'error' || got.status === 'budget') {
    opts.skip?.('mta_sts', `${rel}.${zone} TXT could not be looked up: ${got.detail}`, own);
    return [];
  }
  const sts = got.records.map((r) => r.value).filter(isSts);
  if (sts.length === 0) return [];
  const out: LiveFinding[] = [];
  const fresh = `v=STSv1; id=${newId()}`;
  if (sts.length > 1) return [finding('error', 'mta_sts_multiple', rel, `${sts.length} MTA-STS records at ${rel}: senders then ignore MTA-STS (RFC 8461 3.1).`, 'Keep one.', replaceTxt(zone, records, rel, isSts, fresh), own)];
  const id = tag(sts[0] as string, 'id');
  if (!id || !/^[A-Za-z0-9]{1,32}$/.test(id)) out.push(finding('error', 'mta_sts_id', rel, `The MTA-STS record's id ${id ? `"${id}" is not 1-32 letters and digits` : 'is missing'}: senders ignore the record.`, 'Publish an id such as the current time.', replaceTxt(zone, records, rel, isSts, fresh), own));
  if (!opts.allowHttp) {
    opts.skip?.('mta_sts_policy', 'outbound HTTPS is off: set VPSORG_AUDIT_HTTP=1 to fetch the policy', own);
    return out;
  }
  const host = `mta-sts.${zone}`;
  // A and AAAA at the end of any CNAME chain; only addresses the reach rule allows are fetched from.
  const looked = await Promise.all([resolver.lookup(host, 'A'), resolver.lookup(host, 'AAAA')]);
  const all = looked.flatMap((x) => x.records.filter((r) => r.type === 'A' || r.type === 'AAAA').map((r) => r.value));
  const address = all.find((a) => opts.mayFetch?.(a) ?? false);
  const where = `https://${host}/.well-known/mta-sts.txt`;
  const unreachable = (why: string) =>
    finding('error', 'mta_sts_policy_unreachable', rel, `The MTA-STS policy at ${where} cannot be fetched: ${why}. Senders that saw it before keep the cached one until max_age runs out; new ones get no policy.`, `Serve the policy at ${where} with a valid certificate.`, instruction(`Serve the policy file at ${where} (HTTPS, a certificate valid for ${host}, text/plain), or remove the _mta-sts record.`), own);
  if (!address) return [...out, unreachable(all.length ? `${host} resolves only to addresses that are not public (loopback, private or reserved), so the audit did not fetch it` : `${host} has no address (${looked[0]?.status ?? 'error'})`)];
  const fetched = await fetchPolicy(host, address, { ...(opts.https ?? {}), signal: opts.signal });
  if (!fetched.ok) return [...out, unreachable(fetched.error)];
  const policy = parsePolicy(fetched.body);
  const edit = (what: string) => instruction(`Edit ${where}: ${what}; then change the id of the _mta-sts TXT record (apply_zone TXT ${rel} "${fresh}") so senders fetch it again.`);
  if (policy.problems.length) out.push(finding('error', 'mta_sts_policy_invalid', rel, `The MTA-STS policy at ${where} is invalid: ${policy.problems.join('; ')}.`, 'Correct the policy file.', edit(policy.problems.join('; ')), own));
  if (policy.mode === 'testing') out.push(finding('info', 'mta_sts_testing', rel, 'MTA-STS is in testing mode: failures are only reported (TLS-RPT), mail is still delivered without TLS.', 'Switch to enforce once the reports are clean.', edit('mode: enforce'), own));
  const mx = await resolver.lookup(zone, 'MX');
  for (const m of servedMx(mx).filter((x) => x.host !== '.' && x.host !== '')) {
    if (policy.mode === 'none' || mxCovered(m.host, policy.mx)) continue;
    const enforce = policy.mode === 'enforce';
    out.push(finding(enforce ? 'error' : 'warning', 'mta_sts_mx_not_covered', rel, `MX ${m.host.replace(/\.$/, '')} is not covered by the MTA-STS policy's mx lines (${policy.mx.join(', ') || 'none'}): ${enforce ? 'senders that enforce MTA-STS refuse to deliver to it' : 'reported as a failure in testing mode'}.`, `Add "mx: ${m.host.replace(/\.$/, '')}" to the policy.`, edit(`add the line "mx: ${m.host.replace(/\.$/, '')}"`), at(records, '@', 'MX')));
  }
  return out;
}

export async function checkTlsRptLive(zone: string, records: readonly AuditRecord[], resolver: LiveResolver, opts: MailOptions = {}): Promise<LiveFinding[]> {
  const rel = '_smtp._tls';
  const own = at(records, rel, 'TXT').filter((r) => isTlsRpt(r.value));
  const [got, sts] = await Promise.all([resolver.lookup(`${rel}.${zone}`, 'TXT'), resolver.lookup(`_mta-sts.${zone}`, 'TXT')]);
  if (got.status === 'error' || got.status === 'budget') {
    opts.skip?.('tls_rpt', `${rel}.${zone} TXT could not be looked up: ${got.detail}`, own);
    return [];
  }
  const rpt = got.records.map((r) => r.value).filter(isTlsRpt);
  // The record kept is one of the zone's own, never one only the servers answered.
  const ownRpt = own;
  const fresh = `v=TLSRPTv1; rua=mailto:postmaster@${zone}`;
  if (rpt.length === 0) {
    if (!sts.records.some((r) => isSts(r.value))) return [];
    return [finding('warning', 'tlsrpt_missing', rel, 'MTA-STS is published but no TLS-RPT record (_smtp._tls): nobody hears when senders fail to deliver over TLS.', `Publish TXT ${rel} "${fresh}" (any mailbox you read).`, replaceTxt(zone, records, rel, isTlsRpt, fresh), own)];
  }
  if (rpt.length > 1) return [finding('error', 'tlsrpt_multiple', rel, `${rpt.length} TLS-RPT records at ${rel}: senders then send no reports (RFC 8460 3).`, 'Keep one.', ownRpt.length ? replaceTxt(zone, records, rel, isTlsRpt, (ownRpt[0] as AuditRecord).value) : instruction(`The zone holds no TLS-RPT record at ${rel}, but its servers serve ${rpt.length}: they may serve another copy of the zone; audit again later.`), own)];
  const rua = tag(rpt[0] as string, 'rua');
  const uris = (rua ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const bad = uris.filter((u) => !/^mailto:[^@\s]+@[^@\s]+$/i.test(u) && !/^https:\/\/\S+$/i.test(u));
  if (!uris.length || bad.length) return [finding('error', 'tlsrpt_rua', rel, `The TLS-RPT record ${uris.length ? `has invalid rua destinations (${bad.join(', ')})` : 'has no rua'}: reports go nowhere (RFC 8460 3: mailto: or https: URIs).`, 'Give rua=mailto:<mailbox>.', replaceTxt(zone, records, rel, isTlsRpt, fresh), own)];
  return [];
}
