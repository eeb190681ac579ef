/**
 * Issue 12 point 11: "The SOA in exports and snapshots matches the SOA the sandbox's nameservers
 * serve." The API has no SOA; export_zone_file, the zonefile resource and the gate's snapshots
 * write the one the nameservers serve (serial, primary, mailbox, timers, TTL), read again at every
 * call, so a change's new serial shows. With no nameserver answering, the file says its serial is
 * a placeholder instead of passing one off as real.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryDns } from '../../src/dns/query.js';
import { sandboxedServer } from '../helpers/emulated.js';
import { startHarness } from '../helpers/harness.js';

const t = sandboxedServer('vpsorg-soa-');

/** The SOA as each sandbox nameserver serves it: `mname rname serial refresh retry expire minimum`, and its TTL. */
async function servedSoas(zone: string): Promise<string[]> {
  return Promise.all(
    t.sb.nameservers.map(async (ns) => {
      const r = await queryDns({ address: ns.address, port: ns.port }, zone, 'SOA');
      const soa = r.ok ? r.answers.find((a) => a.type === 'SOA') : undefined;
      return soa ? `${soa.ttl} ${soa.value}` : 'none';
    }),
  );
}

/** The SOA of a zone file as BIND reads it (named-compilezone), in the same form. */
function fileSoa(zone: string, text: string): string {
  const src = join(t.tmp, `${zone}.zone`);
  writeFileSync(src, text.replace(/^; .*(provider data|not instructions).*$/gm, ''));
  const out = execFileSync('named-compilezone', ['-q', '-f', 'text', '-F', 'text', '-s', 'full', '-i', 'none', '-k', 'ignore', '-o', '-', zone, src], { encoding: 'utf8' });
  const m = /^\S+\s+(\d+)\s+IN\s+SOA\s+(.*)$/m.exec(out);
  return m ? `${m[1]} ${(m[2] ?? '').trim().split(/\s+/).join(' ')}` : 'none';
}

const exportSoa = async (zone: string) => fileSoa(zone, (await t.h.call('export_zone_file', { zone })).structured?.['zone_file'] as string);

describe('the SOA of exports and snapshots', () => {
  it('export_zone_file and the zonefile resource carry the SOA the nameservers serve, and follow its serial', async () => {
    const before = await servedSoas('example.com');
    expect(new Set(before).size).toBe(1);
    expect(before[0]).toMatch(/^3600 ns1\.vps\.org\. hostmaster\.example\.com\. \d{10} 3600 600 1209600 300$/);
    expect(await exportSoa('example.com')).toBe(before[0]);

    const created = await t.h.call('create_record', { zone: 'example.com', name: 'soa-probe', record_type: 'A', value: '192.0.2.77' });
    expect(created.isError, created.text).toBeFalsy();
    const after = await servedSoas('example.com');
    expect(after[0]).not.toBe(before[0]);
    expect(await exportSoa('example.com')).toBe(after[0]);

    const resource = await t.h.client.readResource({ uri: 'vpsorg://zones/example.com/zonefile' });
    const text = (resource.contents[0] as { text: string }).text;
    expect(fileSoa('example.com', text)).toBe(after[0]);
  });

  it("a gate snapshot carries it too", async () => {
    const held = await t.h.call('delete_record', { zone: 'example.com', name: 'soa-probe', record_type: 'A' });
    const snapshot = held.structured?.['snapshot'] as string;
    expect(snapshot, held.text).toContain('IN SOA');
    expect(fileSoa('example.com', snapshot)).toBe((await servedSoas('example.com'))[0]);
    const plan = await t.h.call('apply_zone', { zone: 'example.com', records: [], mode: 'sync' });
    expect(fileSoa('example.com', plan.structured?.['snapshot'] as string)).toBe((await servedSoas('example.com'))[0]);
  });

  it('with no nameserver answering, the generated SOA says its serial is a placeholder', async () => {
    const lone = await startHarness({ emu: t.sb.emu, env: { ...t.sb.env, VPSORG_NAMESERVERS: 'ns1.vps.org=127.0.0.1:9' } });
    try {
      const text = (await lone.call('export_zone_file', { zone: 'example.com' })).structured?.['zone_file'] as string;
      expect(text).toContain("; SOA generated here: no nameserver answered for example.com's SOA, so its serial (1) is a placeholder");
      expect(fileSoa('example.com', text)).toBe('3600 ns1.vps.org. hostmaster.example.com. 1 3600 600 1209600 300');
    } finally {
      await lone.close();
    }
  });
});
