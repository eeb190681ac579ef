/**
 * The RFC 7208 test suite as pyspf ships it (python3-spf, scripts/install-audit-refs.sh): YAML
 * documents, each a scenario with `zonedata` (a fake DNS) and `tests`. A scenario's zonedata is
 * served over UDP by a loopback responder (fake-dns.ts) as the root, authoritative for every
 * name, so the live resolver reaches it the way it reaches any server. The zonedata rules are the
 * suite's driver's (pyspf's testspf.py): SPF-type records are served as TXT unless the name has
 * TXT records (`TXT: NONE` included), and TIMEOUT means no answer for a type not listed before it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseAllDocuments } from 'yaml';
import type { Answer } from 'dns-packet';
import { reply, startFakeDns, type FakeDns } from './fake-dns.js';

export const SUITE_FILE = '/usr/share/doc/python3-spf/rfc7208-tests.yml.gz';

export interface SuiteCase {
  scenario: string;
  name: string;
  spec: string;
  helo: string;
  host: string;
  mailfrom: string;
  /** The acceptable results, the preferred one first. */
  results: string[];
}

type Entry = { type: string; value: unknown } | 'TIMEOUT';

export interface Scenario {
  description: string;
  zone: Map<string, Entry[]>;
  cases: SuiteCase[];
}

const key = (name: string) => name.toLowerCase().replace(/\.$/, '');

/** One name's entries as testspf.py's getrdata() yields them. */
function entries(data: unknown[]): Entry[] {
  const out: Entry[] = [];
  const spf: Entry[] = [];
  let hasTxt = false;
  for (const item of data) {
    if (item === 'TIMEOUT') {
      out.push('TIMEOUT');
      continue;
    }
    for (const [type, raw] of Object.entries(item as Record<string, unknown>)) {
      const value = (type === 'TXT' || type === 'SPF') && typeof raw === 'string' ? [raw] : raw;
      if (type === 'TXT') hasTxt = true;
      else if (type === 'SPF') spf.push({ type: 'TXT', value });
      if (!(Array.isArray(value) && value.length === 1 && value[0] === 'NONE')) out.push({ type, value });
    }
  }
  return hasTxt ? out : [...out, ...spf];
}

/** A zone from zonedata in the suite's form (`{ 'a.test': [{ TXT: 'v=spf1 -all' }, 'TIMEOUT'] }`). */
export function zoneOf(zonedata: Record<string, unknown[]>): Map<string, Entry[]> {
  return new Map(Object.entries(zonedata).map(([name, data]) => [key(name), entries(data)]));
}

/** Reads the suite; throws (never skips) when the file is missing: CI installs it before tests. */
export function loadSuite(file = SUITE_FILE): Scenario[] {
  if (!existsSync(file)) throw new Error(`${file} is missing: run scripts/install-audit-refs.sh (Debian's python3-spf ships the RFC 7208 test suite)`);
  const docs = parseAllDocuments(gunzipSync(readFileSync(file)).toString('utf8'));
  return docs.map((doc) => {
    const d = doc.toJS() as { description: string; tests: Record<string, Record<string, unknown>>; zonedata: Record<string, unknown[]> };
    const zone = zoneOf(d.zonedata ?? {});
    const cases = Object.entries(d.tests).map(([name, t]) => ({
      scenario: d.description,
      name,
      spec: String(t['spec']),
      helo: String(t['helo']),
      host: String(t['host']),
      mailfrom: String(t['mailfrom']),
      results: ([] as unknown[]).concat(t['result']).map(String),
    }));
    return { description: d.description, zone, cases };
  });
}

function rdata(type: string, value: unknown): unknown {
  if (type === 'TXT') return (value as string[]).map((s) => Buffer.from(s, 'utf8'));
  if (type === 'MX') {
    const [preference, exchange] = value as [number, string];
    return { preference, exchange: key(exchange) };
  }
  return type === 'CNAME' || type === 'PTR' ? key(String(value)) : String(value);
}

/** The RRs a name holds for `type` (CNAMEs followed in the data, loops cut), or 'timeout'. */
function lookup(zone: Map<string, Entry[]>, name: string, type: string, seen: string[] = []): Answer[] | 'timeout' | 'nxdomain' {
  const list = zone.get(key(name));
  if (!list) return seen.length ? [] : 'nxdomain';
  const out: Answer[] = [];
  for (const e of list) {
    if (e === 'TIMEOUT') {
      if (!out.some((a) => a.type === type)) return 'timeout';
      break;
    }
    if (e.type !== type && e.type !== 'CNAME') continue;
    out.push({ name: key(name), type: e.type, ttl: 300, data: rdata(e.type, e.value) } as Answer);
    const target = e.type === 'CNAME' && type !== 'CNAME' ? key(String(e.value)) : null;
    if (target && !seen.includes(target) && target !== key(name)) {
      const more = lookup(zone, target, type, [...seen, key(name)]);
      if (Array.isArray(more)) out.push(...more);
    }
  }
  return out;
}

/** A responder serving a scenario's zonedata (SPF-type queries are answered with nothing). */
export function serveZone(zone: Map<string, Entry[]>): Promise<FakeDns> {
  return startFakeDns((q, out) => {
    const got = lookup(zone, q.name, q.type);
    if (got === 'timeout') return;
    out.send(got === 'nxdomain' ? reply(q, { rcode: 3 }) : reply(q, { answers: got }));
  });
}
