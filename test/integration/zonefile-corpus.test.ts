/**
 * Issue 17: the zone-file corpus (test/fixtures/zonefiles, one rule per file). Each file goes
 * import_zone_file -> apply_zone (the emulator over HTTP) -> export_zone_file -> served by the
 * sandbox's nameservers, and is compared with BIND's own reading of the original file
 * (`named-compilezone`, the reference): the same RRsets (owner, type, TTL, rdata). The export
 * must pass `named-checkzone`. Where we differ on purpose, the file says so in `; corpus:` lines
 * and the test asserts the difference instead:
 *   `; corpus: refused line N` the import refuses the file at that line;
 *   `; corpus: skipped TYPE ...` those types are skipped (the provider does not serve them);
 *   `; corpus: joined OWNER line N` that TXT's strings become one text, with a warning.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Answer } from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { createSocket } from 'node:dgram';
import dnsPacket from 'dns-packet';
import type { CallResult } from '../helpers/harness.js';
import { sandboxedServer } from '../helpers/emulated.js';
import { findBinary } from '../helpers/bind.js';

const DIR = join(__dirname, '..', 'fixtures', 'zonefiles');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.zone')).sort();
const PROVIDER_NS = new Set(['ns1.vps.org.', 'ns2.vps.org.']);

const t = sandboxedServer('vpsorg-corpus-');

interface Directives {
  refused?: { line: number; text?: string };
  skipped: string[];
  joined: Array<{ owner: string; line: number }>;
}

function directives(text: string, zone: string): Directives {
  const d: Directives = { skipped: [], joined: [] };
  for (const m of text.matchAll(/^; corpus: (refused|skipped|joined) ?(.*)$/gm)) {
    const arg = (m[2] ?? '').trim();
    if (m[1] === 'refused') {
      const r = /^line (\d+)(?: "(.*)")?$/.exec(arg);
      d.refused = { line: Number(r?.[1]), ...(r?.[2] ? { text: r[2] } : {}) };
    } else if (m[1] === 'skipped') d.skipped.push(...arg.split(/\s+/));
    else {
      const j = /^(\S+) line (\d+)$/.exec(arg);
      d.joined.push({ owner: `${j?.[1]}.${zone}.`, line: Number(j?.[2]) });
    }
  }
  return d;
}

// ---- canonical RRsets: BIND's text on one side, the wire on the other ----

type RRsets = Map<string, { ttl: number; rdata: string[] }>;
const lower = (n: string) => n.toLowerCase();
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The character-strings of BIND's TXT/CAA presentation (`"a\"b" "c\195"`) as bytes. */
function strings(text: string): Buffer[] {
  const out: Buffer[] = [];
  for (const m of text.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)) {
    const raw = m[1] ?? m[2] ?? '';
    const bytes: number[] = [];
    for (let i = 0; i < raw.length; i++) {
      if (raw[i] === '\\' && /^\d{3}$/.test(raw.slice(i + 1, i + 4))) {
        bytes.push(Number(raw.slice(i + 1, i + 4)));
        i += 3;
      } else if (raw[i] === '\\') {
        bytes.push(...Buffer.from(raw[i + 1] ?? ''));
        i++;
      } else bytes.push(...Buffer.from(raw[i] ?? ''));
    }
    out.push(Buffer.from(bytes));
  }
  return out;
}

const txt = (parts: Buffer[], joined: boolean) => (joined ? `joined ${hex(Buffer.concat(parts))}` : parts.map(hex).join(' '));
const aaaa = (a: string) => {
  // Expanded, so that two spellings of one address compare equal without our own code.
  const [head = '', tail = ''] = a.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const mid = a.includes('::') ? Array(8 - h.length - t.length).fill('0') : [];
  return [...h, ...mid, ...t].map((x) => x.padStart(4, '0')).join(':').toLowerCase();
};

function fromText(type: string, rdata: string, joined: boolean): string {
  const f = rdata.trim().split(/\s+/);
  switch (type) {
    case 'A': return rdata.trim();
    case 'AAAA': return aaaa(rdata.trim());
    case 'NS': case 'CNAME': return lower(rdata.trim());
    case 'MX': return `${f[0]} ${lower(f[1] ?? '')}`;
    case 'SRV': return `${f[0]} ${f[1]} ${f[2]} ${lower(f[3] ?? '')}`;
    case 'TXT': return txt(strings(rdata), joined);
    case 'CAA': return `${f[0]} ${lower(f[1] ?? '')} ${hex(Buffer.concat(strings(f.slice(2).join(' '))))}`;
    default: return rdata.trim();
  }
}

function fromWire(a: Answer, joined: boolean): string {
  const d = (a as { data: unknown }).data as never;
  const abs = (n: string) => `${lower(n)}.`.replace(/\.\.$/, '.');
  switch (a.type) {
    case 'A': return d;
    case 'AAAA': return aaaa(d);
    case 'NS': case 'CNAME': return abs(d);
    case 'MX': return `${(d as { preference: number }).preference} ${abs((d as { exchange: string }).exchange)}`;
    case 'SRV': {
      const s = d as { priority: number; weight: number; port: number; target: string };
      return `${s.priority} ${s.weight} ${s.port} ${s.target === '' ? '.' : abs(s.target)}`;
    }
    case 'TXT': return txt(d as Buffer[], joined);
    case 'CAA': {
      const c = d as { flags: number; tag: string; value: string };
      return `${c.flags} ${lower(c.tag)} ${hex(Buffer.from(c.value))}`;
    }
    default: return JSON.stringify(d);
  }
}

/** BIND's reading of a zone file: every RRset but the SOA, owners and targets in lower case. */
function compile(zone: string, text: string, joinedOwners: Set<string>): RRsets {
  const src = join(t.tmp, `${zone}.in`);
  const out = join(t.tmp, `${zone}.out`);
  writeFileSync(src, text);
  execFileSync('named-compilezone', ['-q', '-f', 'text', '-F', 'text', '-s', 'full', '-i', 'none', '-k', 'ignore', '-o', out, zone, src]);
  const sets: RRsets = new Map();
  for (const line of readFileSync(out, 'utf8').split('\n')) {
    const m = /^(\S+)\s+(\d+)\s+IN\s+(\S+)\s+(.*)$/.exec(line);
    if (!m || m[3] === 'SOA') continue;
    const [owner, ttl, type, rdata] = [lower(m[1] ?? ''), Number(m[2]), m[3] ?? '', m[4] ?? ''];
    const key = `${owner} ${type}`;
    const set = sets.get(key) ?? { ttl, rdata: [] };
    set.rdata.push(fromText(type, rdata, joinedOwners.has(owner)));
    sets.set(key, set);
  }
  for (const s of sets.values()) s.rdata.sort();
  return sets;
}

function checkzone(zone: string, text: string): string {
  const file = join(t.tmp, `${zone}.export`);
  writeFileSync(file, text);
  return execFileSync('named-checkzone', ['-k', 'fail', zone, file], { encoding: 'utf8' });
}

/** apply_zone, confirming when the gate asks (a new zone's NS records and size always do). */
async function apply(zone: string, records: unknown[]): Promise<CallResult> {
  const args = { zone, records, mode: 'sync' };
  const first = await t.h.call('apply_zone', args);
  const token = first.structured?.['confirm_token'] as string | undefined;
  return token ? t.h.call('apply_zone', { ...args, confirm_token: token }) : first;
}

/** One question to the sandbox's first nameserver over UDP, decoded by dns-packet (not by our DNS code). */
async function ask(owner: string, type: string): Promise<Answer[]> {
  const ns = t.sb.nameservers[0] as { address: string; port: number };
  const sock = createSocket('udp4');
  try {
    const reply = await new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer for ${owner} ${type}`)), 3000);
      sock.once('message', (msg) => (clearTimeout(timer), resolve(msg)));
      // EDNS (RFC 6891) with 1232 bytes, so that a long TXT set is not truncated.
      const query = { type: 'query' as const, id: 7, questions: [{ name: owner, type: type as 'A' }], additionals: [{ type: 'OPT' as const, name: '.', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] };
      sock.send(dnsPacket.encode(query), ns.port, ns.address);
    });
    const decoded = dnsPacket.decode(reply);
    if (decoded.flag_tc) throw new Error(`truncated answer for ${owner} ${type}`);
    return decoded.answers ?? [];
  } finally {
    sock.close();
  }
}

async function served(owner: string, type: string, joined: boolean): Promise<{ ttl: number; rdata: string[] } | null> {
  const rrs = (await ask(owner, type)).filter((a) => a.type === type && lower(`${a.name}.`) === owner);
  if (!rrs.length) return null;
  return { ttl: (rrs[0] as { ttl?: number } | undefined)?.ttl ?? -1, rdata: rrs.map((a) => fromWire(a, joined)).sort() };
}

it('named-compilezone is installed (scripts/install-bind.sh)', () => {
  expect(findBinary('named-compilezone')).not.toBeNull();
  expect(FILES.length).toBeGreaterThanOrEqual(12);
});

describe.each(FILES)('%s', (file) => {
  const zone = file.replace(/\.zone$/, '');
  const text = readFileSync(join(DIR, file), 'utf8');
  const want = directives(text, zone);

  it(want.refused ? `is refused at line ${want.refused.line}, as the file says` : 'import -> apply -> export -> serve gives what BIND reads', async () => {
    t.sb.emu.store.addZone(zone, []);
    // keep_apex_ns: the files' apex NS are compared with BIND's reading like every other RRset.
    const imp = await t.h.call('import_zone_file', { zone, zone_file: text, mode: 'sync', keep_apex_ns: true });
    if (want.refused) {
      expect(imp.isError, imp.text).toBe(true);
      expect(imp.text).toMatch(new RegExp(`line ${want.refused.line}[.:]`));
      if (want.refused.text) expect(imp.text).toContain(want.refused.text);
      // BIND reads the file: the refusal is ours, on purpose.
      expect(compile(zone, text, new Set()).size).toBeGreaterThan(0);
      return;
    }
    expect(imp.isError, imp.text).toBeFalsy();
    const skipped = imp.structured?.['skipped'] as Array<{ type: string }>;
    expect(skipped.map((s) => s.type).sort()).toEqual([...want.skipped, 'SOA'].sort());
    const warnings = (imp.structured?.['warnings'] as Array<{ code: string; message: string }>).filter((w) => w.code === 'txt_strings_joined');
    expect(warnings.map((w) => w.message.split(':')[0])).toEqual(want.joined.map((j) => `line ${j.line}`));

    const applied = await apply(zone, imp.structured?.['records'] as unknown[]);
    expect(applied.isError, applied.text).toBeFalsy();
    const again = await t.h.call('import_zone_file', { zone, zone_file: text, mode: 'sync', keep_apex_ns: true });
    expect(again.structured?.['changes'], 'a second import plans nothing').toEqual([]);

    const joined = new Set(want.joined.map((j) => j.owner));
    const reference = compile(zone, text, joined);
    for (const t of want.skipped) for (const k of [...reference.keys()]) if (k.endsWith(` ${t}`)) reference.delete(k);

    const exported = (await t.h.call('export_zone_file', { zone })).structured?.['zone_file'] as string;
    expect(checkzone(zone, exported)).toMatch(/OK/);
    const back = compile(zone, exported, joined);
    const ns = back.get(`${zone}. NS`);
    if (ns) ns.rdata = ns.rdata.filter((n) => !PROVIDER_NS.has(n) || reference.get(`${zone}. NS`)?.rdata.includes(n));
    expect(Object.fromEntries(back)).toEqual(Object.fromEntries(reference));

    for (const [key, set] of reference) {
      const [owner = '', type = ''] = key.split(' ');
      expect(await served(owner, type, joined.has(owner)), `served ${key}`).toEqual(set);
    }
  });
});
