import { startEmulator } from '../../src/emulator/index.js';
import { startHarness } from '../../test/helpers/harness.js';
import type { Row } from './main.js';
import { ESSENTIAL_BUDGET, FULL_BUDGET, builtToolBytes } from './tool-bytes.js';

const pct = (n: number) => `${(n * 100).toFixed(1)}%`;

export async function benchToolsList(results: Record<string, unknown>): Promise<Row[]> {
  const full = await builtToolBytes();
  const essential = await builtToolBytes({ VPSORG_TOOLSETS: 'essential' });
  const largest = [...full.tools].sort((a, b) => b.bytes - a.bytes).slice(0, 3).map((t) => `${t.name} ${t.bytes}`).join(', ');
  results['tools_model_bytes'] = { full, essential };
  const modelRows: Row[] = [
    { what: `tools/list read by the model (${full.tools.length} tools: name, title, description, input schema)`, value: `${full.total} B`, baseline: `largest: ${largest}`, ratio: pct(full.total / FULL_BUDGET), target: `<= ${FULL_BUDGET} B`, met: full.total <= FULL_BUDGET },
    { what: `the same, VPSORG_TOOLSETS=essential (${essential.tools.length} tools)`, value: `${essential.total} B`, baseline: essential.tools.map((t) => t.name).join(' '), ratio: pct(essential.total / ESSENTIAL_BUDGET), target: `<= ${ESSENTIAL_BUDGET} B`, met: essential.total <= ESSENTIAL_BUDGET },
  ];
  const h = await startHarness({ emulator: { seed: 'empty' } });
  try {
    const { tools } = await h.client.listTools();
    const per = tools.map((t) => ({ name: t.name, bytes: Buffer.byteLength(JSON.stringify(t)) })).sort((a, b) => b.bytes - a.bytes);
    const total = Buffer.byteLength(JSON.stringify({ tools }));
    results['tools_list'] = { total_bytes: total, per_tool: per };
    const biggest = per.slice(0, 3).map((p) => `${p.name} ${p.bytes}`).join(', ');
    return [
      ...modelRows,
      { what: `tools/list size (${tools.length} tools)`, value: `${total} B`, baseline: `${Math.round(total / tools.length)} B/tool avg`, ratio: '-', target: 'report per tool', met: null },
      { what: 'tools/list largest tools', value: biggest, baseline: '-', ratio: '-', target: 'report', met: null },
    ];
  } finally {
    await h.close();
  }
}

export async function benchTextSize(results: Record<string, unknown>): Promise<Row[]> {
  const emu = await startEmulator({ seed: 'empty' });
  const types = ['A', 'AAAA', 'CNAME', 'MX', 'TXT'] as const;
  const records = Array.from({ length: 200 }, (_, i) => {
    const t = types[i % types.length] as string;
    const value = t === 'A' ? `192.0.2.${i % 250}` : t === 'AAAA' ? `2001:db8::${i.toString(16)}` : t === 'CNAME' ? `target${i}.example.com` : t === 'MX' ? `mx${i}.example.com` : `v=spf1 include:_spf${i}.example.net -all`;
    return { record_type: t, name: `host${i}`, value, ttl: 3600, ...(t === 'MX' ? { priority: 10 } : {}) };
  });
  const zone = emu.store.addZone('example.com', records);
  const h = await startHarness({ emu });
  try {
    const raw = await fetch(`${emu.url}/api/v1/dns-zones/${zone.uuid}/records/`, { headers: { Authorization: 'Bearer vps_test_0123456789abcdef' } });
    const rawBytes = Buffer.byteLength(await raw.text());
    const r = await h.call('list_records', { zone: 'example.com' });
    const textBytes = Buffer.byteLength(r.text);
    results['text_size'] = { raw_json_bytes: rawBytes, text_bytes: textBytes };
    return [{ what: 'text result: list_records, 200 records', value: `${textBytes} B`, baseline: `${rawBytes} B (API JSON)`, ratio: pct(textBytes / rawBytes), target: '<= 35%', met: textBytes / rawBytes <= 0.35 }];
  } finally {
    await h.close();
    await emu.close();
  }
}

export async function benchBulkApply(results: Record<string, unknown>): Promise<Row[]> {
  const { applyPlan } = await import('../../src/tools/kit/apply.js');
  const { createApiClient } = await import('../../src/api/client.js');
  const desired = Array.from({ length: 500 }, (_, i) => ({ name: `bulk${i}`, record_type: 'A', value: `198.51.${Math.floor(i / 250)}.${i % 250}` }));
  const emu = await startEmulator({ seed: 'empty', latencyMs: 20 });
  try {
    // Sequential baseline: the same 500 creates, one request at a time, through the same client.
    const z1 = emu.store.addZone('seq.example', []);
    const api = createApiClient({ baseUrl: emu.url, token: 'vps_test_0123456789abcdef' });
    const changes = desired.map((d) => ({ action: 'create' as const, after: { ...d, record_type: 'A' as const, ttl: 3600, priority: null } }));
    let t0 = performance.now();
    await applyPlan(api, { uuid: z1.uuid, domain: 'seq.example' }, changes, { concurrency: 1 });
    const seqMs = performance.now() - t0;

    // The tool: apply_zone end to end, with a few 429s along the way to show they are honoured.
    emu.store.addZone('par.example', []);
    const h = await startHarness({ emu });
    emu.faults.add({ kind: 'rate_limit', method: 'POST', retryAfter: 1, times: 3 });
    const before = emu.requests.length;
    t0 = performance.now();
    const r = await h.call('apply_zone', { zone: 'par.example', records: desired });
    const parMs = performance.now() - t0;
    const n429 = emu.requests.slice(before).filter((x) => x.status === 429).length;
    await h.close();
    const made = emu.store.findZone('par.example')?.records?.length ?? 0;
    if (r.isError || made !== 500) throw new Error(`bulk apply failed: ${r.text.slice(0, 300)} (${made} records)`);
    results['bulk_apply'] = { sequential_ms: seqMs, apply_zone_ms: parMs, rate_limited: n429 };
    const speedup = seqMs / parMs;
    return [{ what: `bulk apply: 500 creates, 20 ms API latency, ${n429} x 429 honoured`, value: `${(parMs / 1000).toFixed(2)} s`, baseline: `${(seqMs / 1000).toFixed(2)} s (one at a time)`, ratio: `${speedup.toFixed(1)}x faster`, target: '>= 6x', met: speedup >= 6 }];
  } finally {
    await emu.close();
  }
}
