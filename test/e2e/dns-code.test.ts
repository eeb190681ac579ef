/**
 * DNS as code end to end (issue 26): a temporary git repository of zone files, the built CLI run
 * in it as CI would, against the sandbox with a state file. The plan is compared with what
 * Debian's ldns-compare-zones reports for the same exports; apply is bound to the reviewed digest.
 */
import { createServer } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/report.js';
import { ldnsDiff, makeRepo, signedRecords, type JsonChange } from '../helpers/dns-code.js';

interface Plan {
  digest: string;
  total: number;
  effects: string[];
  zones: Array<{ zone: string; changes: JsonChange[]; kept: { count: number; names: string[] } }>;
}

const repo = makeRepo();
const zoneFile = join(repo.dir, 'zones', 'example.com.zone');
const plan = async (...extra: string[]) => {
  const r = await repo.run(['plan', '--dir', 'zones', '--format', 'json', ...extra]);
  return { ...r, plan: r.stdout ? (JSON.parse(r.stdout) as Plan) : undefined };
};
const records = async () => JSON.parse((await repo.run(['call', 'list_records', '--zone', 'example.com'])).stdout) as { records: Array<{ name: string; record_type: string; value: string }> };
/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

describe.sequential('a zone repository against the sandbox', { timeout: 240_000 }, () => {
  it('export then plan --expect-no-changes exits 0; a change in the panel is drift, and the plan is what ldns-compare-zones reports', async () => {
    const exported = await repo.run(['export', '--dir', 'zones']);
    expect(exported.code, exported.stderr).toBe(EXIT.ok);
    repo.git('add', 'zones');
    repo.git('commit', '-q', '-m', 'export');
    const clean = await repo.run(['plan', '--dir', 'zones', '--expect-no-changes']);
    expect(clean.code, clean.stderr).toBe(EXIT.ok);
    expect(clean.stdout).toMatch(/No changes in 1 zone/);

    // Changes "in the panel": a repointed apex and a new record.
    expect((await repo.run(['call', 'update_record', '--zone', 'example.com', '--name', '@', '--record-type', 'A', '--value', '192.0.2.99'])).code).toBe(0);
    expect((await repo.run(['call', 'create_record', '--zone', 'example.com', '--name', 'panel', '--record-type', 'TXT', '--value', 'made by hand'])).code).toBe(0);
    const drift = await plan('--expect-no-changes');
    expect(drift.code, drift.stderr).toBe(EXIT.drift);
    expect(drift.stderr).toMatch(/Drift: 2 changes/);
    expect(await repo.run(['export', '--dir', 'live'])).toMatchObject({ code: 0 });
    // The plan takes the live zone back to the file: ldns from the live export to the committed one.
    const reference = ldnsDiff(join(repo.dir, 'live', 'example.com.zone'), zoneFile);
    expect(reference.length).toBe(3);
    expect(signedRecords(drift.plan?.zones[0]?.changes ?? [])).toEqual(reference);
    expect(repo.git('status', '--porcelain', 'zones')).toBe('');
  });

  it('plan --against a committed export: no token, the API at a closed port, the same plan as live', async () => {
    writeFileSync(zoneFile, `${readFileSync(zoneFile, 'utf8')}www2 300 IN A 192.0.2.10\n`);
    const live = await plan();
    const offline = await repo.run(['plan', '--dir', 'zones', '--format', 'json', '--against', 'live'], { sandbox: false, env: { VPSORG_API_URL: `http://127.0.0.1:${await closedPort()}` } });
    expect(offline.code, offline.stderr).toBe(EXIT.ok);
    const against = JSON.parse(offline.stdout) as Plan;
    expect(against.zones[0]?.changes).toEqual(live.plan?.zones[0]?.changes);
    expect(against.digest).toBe(live.plan?.digest);
    expect(live.plan?.total).toBe(3);
  });

  it('apply: a stale digest is refused with nothing sent; held changes need --confirm; the right digest applies exactly the plan and keeps the ACME token', async () => {
    const reviewed = (await plan()).plan as Plan;
    expect(reviewed.effects).toEqual(['delete']);
    // Meanwhile, an ACME client adds its token, and someone changes the zone.
    expect((await repo.run(['call', 'create_record', '--zone', 'example.com', '--name', '_acme-challenge', '--record-type', 'TXT', '--value', 'token-123', '--ttl', '60'])).code).toBe(0);
    expect((await repo.run(['call', 'update_ttl', '--zone', 'example.com', '--name', 'panel', '--record-type', 'TXT', '--ttl', '120'])).code).toBe(0);
    const before = await records();
    const stale = await repo.run(['apply', '--dir', 'zones', '--checksum', reviewed.digest, '--confirm', 'delete']);
    expect(stale.code, stale.stderr).toBe(EXIT.planChanged);
    expect(stale.stderr).toMatch(/Nothing was sent: the plan computed now .* is not the reviewed one/);
    expect(await records()).toEqual(before);

    const now = (await plan()).plan as Plan;
    expect(now.zones[0]?.kept).toEqual({ count: 1, names: ['_acme-challenge'] });
    const held = await repo.run(['apply', '--dir', 'zones', '--checksum', now.digest]);
    expect(held.code).toBe(EXIT.needsConfirmation);
    expect(held.stderr).toMatch(/--confirm delete/);
    expect(await records()).toEqual(before);

    const applied = await repo.run(['apply', '--dir', 'zones', '--checksum', now.digest, '--confirm', 'delete', '--format', 'json']);
    expect(applied.code, applied.stderr).toBe(EXIT.ok);
    const out = JSON.parse(applied.stdout) as { digest: string; zones: Array<{ applied_changes: unknown[]; confirmation: string }> };
    expect(out.zones[0]?.applied_changes).toHaveLength(now.total);
    expect(out.zones[0]?.confirmation).toBe('confirmed_by_token');
    expect((await repo.run(['plan', '--dir', 'zones', '--expect-no-changes'])).code).toBe(EXIT.ok);
    const after = await records();
    expect(after.records.filter((r) => r.name === '_acme-challenge').map((r) => r.value)).toEqual(['token-123']);
    expect(after.records.some((r) => r.name === 'panel')).toBe(false);
  });

  it('an NS change is refused without --confirm ns, nothing changed; with it, it applies', async () => {
    writeFileSync(zoneFile, readFileSync(zoneFile, 'utf8').replace(/^(@\s+\d+\s+IN\s+NS\s+)ns2\.vps\.org\./m, '$1ns3.example.net.'));
    const ns = (await plan()).plan as Plan;
    expect(ns.effects).toContain('ns');
    const before = await records();
    const others = ns.effects.filter((c) => c !== 'ns');
    const refused = await repo.run(['apply', '--dir', 'zones', '--checksum', ns.digest, ...(others.length ? ['--confirm', others.join(',')] : [])]);
    expect(refused.code).toBe(EXIT.needsConfirmation);
    expect(refused.stderr).toMatch(/gate stops \(ns\)/);
    expect(await records()).toEqual(before);
    const ok = await repo.run(['apply', '--dir', 'zones', '--checksum', ns.digest, '--confirm', ns.effects.join(',')]);
    expect(ok.code, ok.stderr).toBe(EXIT.ok);
    expect((await records()).records.filter((r) => r.record_type === 'NS').map((r) => r.value).sort()).toEqual(['ns1.vps.org', 'ns3.example.net']);
  });
});
