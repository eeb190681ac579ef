import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as dnsPacket from 'dns-packet';
import { normaliseRecord } from '../../src/domain/model.js';
import { renderZoneFile } from '../../src/domain/zonefile.js';
import { checkPropagation, checkZonePropagation, expectedFromRecords, type NameserverAddress } from '../../src/dns/index.js';
import { startBind } from '../../test/helpers/bind.js';
import { startFakeDns, reply } from '../../test/helpers/fake-dns.js';
import type { Row } from './main.js';
import { median } from './stdio.js';
import { ZONE_CHECK_CONCURRENCY } from '../../src/tools/defs/propagation.js';

export async function benchPropagation(results: Record<string, unknown>): Promise<Row[]> {
  const zone = 'bench.test';
  const inputs = Array.from({ length: 200 }, (_, i) =>
    i % 2 ? { name: `h${i}`, record_type: 'A', value: `192.0.2.${i % 250}`, ttl: 300, priority: null } : { name: `t${i}`, record_type: 'TXT', value: `token-${i}`, ttl: 300, priority: null },
  );
  const specs = inputs.map((r) => normaliseRecord(r, zone));
  const text = renderZoneFile(zone, specs, { nameservers: ['ns1.vps.org.', 'ns2.vps.org.'], serial: 7 });
  const a = await startBind({ [zone]: { text, serial: 7 } });
  const b = await startBind({ [zone]: { text, serial: 7 } });
  const dir = mkdtempSync(join(tmpdir(), 'vpsorg-bench-'));
  try {
    const servers: NameserverAddress[] = [a, b].map((s, i) => ({ host: `ns${i + 1}`, address: '127.0.0.1', port: s.port, family: 4 }));
    const sets = inputs.map((r) => ({ name: r.name, recordType: r.record_type, expected: expectedFromRecords([r], zone) }));
    // Queries: one per record set per server, plus one SOA per server.
    const queries = sets.length * servers.length + servers.length;
    // Baseline: dig -f with the same queries (batch mode, one process per server, run in parallel like ours).
    const batches = servers.map((s, i) => {
      const f = join(dir, `q${i}.txt`);
      writeFileSync(f, [`${zone} SOA`, ...inputs.map((r) => `${r.name}.${zone} ${r.record_type}`)].join('\n'));
      return ['-p', String(s.port), '@127.0.0.1', '+norecurse', '+tries=1', '+time=3', '-f', f];
    });
    const runDig = () => Promise.all(batches.map((args) => new Promise<void>((resolve, reject) => execFile('dig', args, (err) => (err ? reject(err) : resolve())))));
    const runOurs = async () => {
      const res = await checkZonePropagation({ zone, recordSets: sets, nameservers: servers, concurrency: ZONE_CHECK_CONCURRENCY });
      if (!res.propagated) throw new Error('bench zone not in sync');
    };
    const time = async (fn: () => Promise<unknown>) => {
      const t0 = performance.now();
      await fn();
      return performance.now() - t0;
    };
    // Steady state: a warm-up of each, then the median of 7 alternating runs.
    await runOurs();
    await runDig();
    const oursRuns: number[] = [];
    const digRuns: number[] = [];
    for (let i = 0; i < 7; i++) {
      oursRuns.push(await time(runOurs));
      digRuns.push(await time(runDig));
    }
    const oursMs = median(oursRuns);
    const digMs = median(digRuns);
    const ours = queries / (oursMs / 1000);
    const dig = queries / (digMs / 1000);
    results['propagation'] = { queries, ours_ms: oursMs, dig_ms: digMs };
    return [{ what: `propagation: whole zone, 200 sets x 2 BIND (${ZONE_CHECK_CONCURRENCY} sets at once, median of 7)`, value: `${Math.round(ours)} q/s (${oursMs.toFixed(0)} ms)`, baseline: `${Math.round(dig)} q/s (dig -f, ${digMs.toFixed(0)} ms)`, ratio: `${(ours / dig).toFixed(2)}x`, target: '>= 1x', met: ours >= dig }];
  } finally {
    await a.stop();
    await b.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchParallelNameservers(results: Record<string, unknown>): Promise<Row[]> {
  const fakes = await Promise.all(
    Array.from({ length: 4 }, () =>
      startFakeDns(async (q, out) => {
        await new Promise((r) => setTimeout(r, 100));
        const answers: dnsPacket.Answer[] =
          q.type === 'SOA'
            ? [{ name: q.name, type: 'SOA', ttl: 60, data: { mname: 'ns1.vps.org', rname: 'h.example.com', serial: 1, refresh: 60, retry: 60, expire: 600, minimum: 60 } }]
            : [{ name: q.name, type: 'A', ttl: 60, data: '192.0.2.1' }];
        out.send(reply(q, { answers }));
      }),
    ),
  );
  try {
    const ns = fakes.map((f, i) => ({ host: `ns${i}`, address: f.address, port: f.port, family: 4 as const }));
    const run = async (list: NameserverAddress[]) => {
      const t0 = performance.now();
      const r = await checkPropagation({ zone: 'example.com', name: 'www', recordType: 'A', expected: ['192.0.2.1'], nameservers: list });
      if (!r.propagated) throw new Error('fake nameservers not in sync');
      return performance.now() - t0;
    };
    await run(ns.slice(0, 1));
    const one = (await run(ns.slice(0, 1)) + (await run(ns.slice(0, 1)))) / 2;
    const four = (await run(ns) + (await run(ns))) / 2;
    results['parallel_nameservers'] = { one_ms: one, four_ms: four };
    return [{ what: 'parallel nameservers: 4 servers, 100 ms each', value: `${four.toFixed(0)} ms`, baseline: `${one.toFixed(0)} ms (1 server)`, ratio: `${(four / one).toFixed(2)}x`, target: '<= 1.2x', met: four / one <= 1.2 }];
  } finally {
    await Promise.all(fakes.map((f) => f.close()));
  }
}
