/**
 * Issue 25 point 7: a live audit of a 300-record zone with 40 targets outside it (live names,
 * names deleted under a hosting suffix, domains nobody registered), in the sandbox's fixture
 * internet: its time and lookups against the audit's budget (DEFAULT_MAX_LOOKUPS, DEFAULT_WALL_MS).
 */
import { startSandbox } from '../../src/sandbox/index.js';
import { auditZoneLive } from '../../src/audit/live/index.js';
import { createLiveResolver, DEFAULT_MAX_LOOKUPS, DEFAULT_WALL_MS } from '../../src/dns/live-resolver.js';
import { givenAddresses, parseNameservers } from '../../src/dns/nameservers.js';
import type { Row } from './main.js';

const ZONE = 'bench-live.com';

function zoneRecords() {
  const out: Array<{ record_type: string; name: string; value: string; ttl: number; priority?: number }> = [];
  for (let i = 0; i < 20; i++) out.push({ record_type: 'CNAME', name: `app${i}`, value: `site${i}.partner-live.net.`, ttl: 300 });
  for (let i = 0; i < 10; i++) out.push({ record_type: 'CNAME', name: `old${i}`, value: `gone${i}.azurewebsites.net.`, ttl: 300 });
  for (let i = 0; i < 5; i++) out.push({ record_type: 'CNAME', name: `shop${i}`, value: `shop.expired-${i}.com.`, ttl: 300 });
  for (let i = 0; i < 3; i++) out.push({ record_type: 'MX', name: '@', value: `mx${i}.partner-live.net.`, ttl: 300, priority: 10 + i });
  for (let i = 0; i < 2; i++) out.push({ record_type: 'SRV', name: `_svc${i}._tcp`, value: `5 443 svc${i}.partner-live.net.`, ttl: 300, priority: 10 });
  out.push({ record_type: 'TXT', name: '@', value: 'v=spf1 mx include:spf.partner-live.net -all', ttl: 300 });
  out.push({ record_type: 'TXT', name: '_dmarc', value: 'v=DMARC1; p=reject; rua=mailto:dmarc@partner-live.net', ttl: 300 });
  for (let i = out.length; i < 300; i++) out.push({ record_type: 'A', name: `h${i}`, value: `192.0.2.${i % 250}`, ttl: 300 });
  return out;
}

export async function benchLiveAudit(results: Record<string, unknown>): Promise<Row[]> {
  const sb = await startSandbox({ publishDelayMs: [0, 0] });
  try {
    const partner = [...Array.from({ length: 20 }, (_, i) => ({ record_type: 'A', name: `site${i}`, value: '192.0.2.10', ttl: 300 }))];
    for (let i = 0; i < 3; i++) partner.push({ record_type: 'A', name: `mx${i}`, value: '192.0.2.11', ttl: 300 });
    for (let i = 0; i < 2; i++) partner.push({ record_type: 'A', name: `svc${i}`, value: '192.0.2.12', ttl: 300 });
    partner.push({ record_type: 'TXT', name: 'spf', value: 'v=spf1 ip4:192.0.2.0/24 -all', ttl: 300 });
    partner.push({ record_type: 'TXT', name: `${ZONE}._report._dmarc`, value: 'v=DMARC1', ttl: 300 });
    sb.emu.store.addZone('partner-live.net', partner);
    sb.emu.store.addZone('azurewebsites.net', [{ record_type: 'A', name: 'live', value: '192.0.2.20', ttl: 300 }]);
    const records = zoneRecords();
    sb.emu.store.addZone(ZONE, records);
    // The sandbox allows private nameservers (VPSORG_ALLOW_PRIVATE_NAMESERVERS): it all lives on loopback.
    const resolver = createLiveResolver({ roots: givenAddresses(parseNameservers(sb.env.VPSORG_DNS_ROOTS)), hosts: parseNameservers(sb.env.VPSORG_NAMESERVERS), mayAsk: () => true });
    const t0 = performance.now();
    const r = await auditZoneLive(ZONE, records.map((x) => ({ ...x, priority: x.priority ?? null })), resolver);
    const ms = performance.now() - t0;
    const counts = Object.fromEntries(['takeover_risk', 'target_domain_unregistered', 'dangling_target'].map((c) => [c, r.findings.filter((f) => f.code === c).length]));
    results['live_audit'] = { records: records.length, outside_targets: 40, elapsed_ms: ms, lookups: r.live.lookups, max_lookups: DEFAULT_MAX_LOOKUPS, wall_ms: DEFAULT_WALL_MS, exhausted: r.live.exhausted, findings: counts };
    const what = 'live audit: 300 records, 40 outside targets (sandbox)';
    return [
      { what: `${what}: time`, value: `${(ms / 1000).toFixed(2)} s`, baseline: `${DEFAULT_WALL_MS / 1000} s (wall budget)`, ratio: `${(ms / DEFAULT_WALL_MS).toFixed(2)}x`, target: '<= 1x, not exhausted', met: ms <= DEFAULT_WALL_MS && r.live.exhausted === null },
      { what: `${what}: lookups`, value: `${r.live.lookups}`, baseline: `${DEFAULT_MAX_LOOKUPS} (lookup budget)`, ratio: `${(r.live.lookups / DEFAULT_MAX_LOOKUPS).toFixed(2)}x`, target: '<= 1x', met: r.live.lookups <= DEFAULT_MAX_LOOKUPS && r.live.exhausted === null },
    ];
  } finally {
    await sb.close();
  }
}
