/**
 * The fault matrix's two axes. A fault says which rule(s) to inject for the request an operation
 * depends on; an operation says what it calls, which request that is, and what the zone should
 * look like if it took effect.
 */
import type { FaultRule } from '../../../src/emulator/types.js';
import type { RecordSpec } from '../../../src/domain/model.js';
import { expectSame, withCreate, withDelete, withUpdate, withoutZone, type Expected, type Snapshot } from './state.js';
import type { ChangeOut } from './apply-check.js';
import type { CallResult, World } from './world.js';
import { bulkPlan20 } from './zones.js';

export interface FaultSpec {
  id: string;
  rule: Omit<FaultRule, 'method' | 'path' | 'times'>;
  /** What a user must read when it ends in an error. */
  message: RegExp;
  /** The fault hits page 2 of the list the operation reads (pagination on), not its key request. */
  page?: boolean;
  /** Not retried by design (a 2xx that is not the API's answer, or a redirect). */
  final?: boolean;
  /** A 2xx that never reached the API: a DELETE checks whether the target is gone, and re-sends. */
  fake2xx?: boolean;
}

export const FAULTS: FaultSpec[] = [
  // Retry-After far beyond the client's bound: honoured up to the bound, not for an hour.
  { id: '429 Retry-After', rule: { kind: 'rate_limit', retryAfter: 3600 }, message: /rate-limiting .*429/ },
  { id: '429 no Retry-After', rule: { kind: 'rate_limit' }, message: /rate-limiting .*429/ },
  { id: '500 HTML', rule: { kind: 'html', status: 500 }, message: /server error \(500/ },
  { id: '502 HTML', rule: { kind: 'html', status: 502 }, message: /server error \(502/ },
  { id: '503 HTML', rule: { kind: 'html', status: 503 }, message: /server error \(503/ },
  { id: '504 HTML', rule: { kind: 'html', status: 504 }, message: /server error \(504/ },
  { id: 'reset before processing', rule: { kind: 'drop_before' }, message: /Could not talk to the VPS\.org API/ },
  { id: 'reset after processing', rule: { kind: 'drop_after' }, message: /Could not talk to the VPS\.org API/ },
  { id: 'headers timeout', rule: { kind: 'hang' }, message: /did not answer .* within/ },
  { id: 'body timeout', rule: { kind: 'hang_body' }, message: /did not answer .* within .*body stalled/ },
  { id: 'malformed JSON', rule: { kind: 'malformed_json' }, message: /malformed JSON/, final: true, fake2xx: true },
  { id: 'empty 200', rule: { kind: 'empty' }, message: /empty body/, final: true, fake2xx: true },
  { id: 'redirect', rule: { kind: 'redirect' }, message: /redirected \(302.*redirects are not followed/, final: true },
  { id: 'page 2 of a list fails', rule: { kind: 'html', status: 502 }, message: /failed on page 2.*no partial list/, page: true },
];

export interface Prepared {
  args: Record<string, unknown>;
  /** The state if the operation took effect (reads: unchanged). */
  after(initial: Snapshot): Expected;
  /** apply_zone: the planned changes, to check the interrupted lists against. */
  planned?: ChangeOut[];
  domain: string;
}

export interface OpSpec {
  id: string;
  tool: string;
  /** The request the fault targets. */
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path(w: World): RegExp;
  /** The list whose page 2 fails in the pagination scenario. */
  list(w: World): RegExp;
  prepare(w: World): Promise<Prepared>;
  /** For a successful read: is the answer the truth? */
  checkRead?(r: CallResult, w: World): void;
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
export const zoneUuid = (w: World, domain: string): string => w.emu.store.findZone(domain)?.uuid ?? 'missing';
const recordsOf = (w: World, domain: string) => new RegExp(`^/api/v1/dns-zones/${esc(zoneUuid(w, domain))}/records/$`);
const ZONE_LIST = /^\/api\/v1\/dns-zones\/$/;

function recordUuid(w: World, domain: string, name: string, type: string): string {
  const hit = w.emu.store.findZone(domain)?.records?.find((r) => r.name === name && r.record_type === type);
  if (!hit) throw new Error(`fixture: no ${type} ${name} in ${domain}`);
  return hit.uuid;
}
const recordPath = (uuid: string) => new RegExp(`^/api/v1/dns-records/${esc(uuid)}/$`);

async function confirmToken(w: World, tool: string, args: Record<string, unknown>): Promise<string> {
  const preview = await w.call(tool, args);
  const token = preview.structured?.['confirm_token'];
  if (preview.isError || typeof token !== 'string') throw new Error(`fixture: ${tool} preview gave no confirm_token: ${preview.text}`);
  return token;
}

const same = (s: Snapshot) => expectSame(s);

export const OPS: OpSpec[] = [
  {
    id: 'list zones', tool: 'list_zones', method: 'GET', path: () => ZONE_LIST, list: () => ZONE_LIST,
    prepare: async () => ({ args: {}, after: same, domain: 'example.com' }),
    checkRead(r, w) {
      const got = (r.structured?.['zones'] as Array<{ uuid: string }>).map((z) => z.uuid).sort();
      if (JSON.stringify(got) !== JSON.stringify(w.emu.store.listZones().map((z) => z.uuid).sort())) throw new Error(`list_zones answered ${got.length} zones, not the store's`);
    },
  },
  {
    id: 'list records', tool: 'list_records', method: 'GET', path: (w) => recordsOf(w, 'example.com'), list: (w) => recordsOf(w, 'example.com'),
    prepare: async () => ({ args: { zone: 'example.com' }, after: same, domain: 'example.com' }),
    checkRead(r, w) {
      const got = (r.structured?.['records'] as Array<{ uuid: string }>).map((x) => x.uuid).sort();
      const want = (w.emu.store.findZone('example.com')?.records ?? []).map((x) => x.uuid).sort();
      if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`list_records answered ${got.length} records, not the store's ${want.length}`);
    },
  },
  {
    id: 'create record', tool: 'create_record', method: 'POST', path: (w) => recordsOf(w, 'example.com'), list: (w) => recordsOf(w, 'example.com'),
    prepare: async () => {
      const rec = { record_type: 'A', name: 'fresh', value: '192.0.2.99', ttl: 300 };
      return { args: { zone: 'example.com', ...rec }, after: (s) => withCreate(s, 'example.com', rec), domain: 'example.com' };
    },
  },
  {
    id: 'update record (PUT)', tool: 'update_record', method: 'PUT', path: (w) => recordPath(recordUuid(w, 'example.com', '@', 'A')), list: (w) => recordsOf(w, 'example.com'),
    prepare: async (w) => {
      const uuid = recordUuid(w, 'example.com', '@', 'A');
      return { args: { zone: 'example.com', name: '@', record_type: 'A', value: '192.0.2.77' }, after: (s) => withUpdate(s, 'example.com', uuid, { value: '192.0.2.77' }), domain: 'example.com' };
    },
  },
  {
    id: 'patch record', tool: 'patch_record', method: 'PATCH', path: (w) => recordPath(recordUuid(w, 'example.com', '_dmarc', 'TXT')), list: (w) => recordsOf(w, 'example.com'),
    prepare: async (w) => {
      const uuid = recordUuid(w, 'example.com', '_dmarc', 'TXT');
      // A TTL: replacing a TXT value needs confirmation (issue 13), and this matrix is about faults, not the gate.
      return { args: { zone: 'example.com', name: '_dmarc', record_type: 'TXT', ttl: 900 }, after: (s) => withUpdate(s, 'example.com', uuid, { ttl: 900 }), domain: 'example.com' };
    },
  },
  {
    id: 'update ttl', tool: 'update_ttl', method: 'PATCH', path: (w) => recordPath(recordUuid(w, 'example.com', 'www', 'CNAME')), list: (w) => recordsOf(w, 'example.com'),
    prepare: async (w) => {
      const uuid = recordUuid(w, 'example.com', 'www', 'CNAME');
      return { args: { zone: 'example.com', name: 'www', record_type: 'CNAME', ttl: 600 }, after: (s) => withUpdate(s, 'example.com', uuid, { ttl: 600 }), domain: 'example.com' };
    },
  },
  {
    id: 'delete record (gated)', tool: 'delete_record', method: 'DELETE', path: (w) => recordPath(recordUuid(w, 'example.com', '@', 'AAAA')), list: (w) => recordsOf(w, 'example.com'),
    prepare: async (w) => {
      const uuid = recordUuid(w, 'example.com', '@', 'AAAA');
      const args = { zone: 'example.com', name: '@', record_type: 'AAAA' };
      return { args: { ...args, confirm_token: await confirmToken(w, 'delete_record', args) }, after: (s) => withDelete(s, 'example.com', uuid), domain: 'example.com' };
    },
  },
  {
    id: 'delete zone (gated)', tool: 'delete_zone', method: 'DELETE', path: (w) => new RegExp(`^/api/v1/dns-zones/${esc(zoneUuid(w, 'spare.test'))}/$`), list: (w) => recordsOf(w, 'spare.test'),
    prepare: async (w) => {
      const args = { zone: 'spare.test' };
      return { args: { ...args, confirm_token: await confirmToken(w, 'delete_zone', args) }, after: (s) => withoutZone(s, 'spare.test'), domain: 'spare.test' };
    },
  },
  {
    id: 'apply_zone, 20 changes', tool: 'apply_zone', method: 'POST', path: (w) => recordsOf(w, 'bulk.test'), list: (w) => recordsOf(w, 'bulk.test'),
    prepare: async (w) => {
      const args = { zone: 'bulk.test', records: bulkPlan20(), mode: 'upsert' };
      const plan = await w.call('plan_zone', args);
      const planned = plan.structured?.['changes'] as ChangeOut[] | undefined;
      if (plan.isError || planned?.length !== 20) throw new Error(`fixture: plan_zone gave ${planned?.length} changes: ${plan.text}`);
      // 20 creates are over the zone's budget (creates count, issue 21.5): preview, and confirm under the faults.
      const held = { ...args, confirm_token: await confirmToken(w, 'apply_zone', args) };
      return { args: held, planned, after: (s) => planned.reduce((e, c) => applyPlanned(e, c), expectSame(s)), domain: 'bulk.test' };
    },
  },
];

function applyPlanned(e: Expected, c: ChangeOut): Expected {
  if (c.action === 'create') return withCreate(e, 'bulk.test', c.after as RecordSpec);
  if (c.action === 'update') return withUpdate(e, 'bulk.test', c.before?.uuid as string, c.after as RecordSpec);
  return withDelete(e, 'bulk.test', c.before?.uuid as string);
}

export type Outcome = 'success' | 'error' | 'uncertain';

/**
 * What a correct client must make of the fault. Transient: one failure, then the API is fine.
 * Persistent: the key request fails every time (read-backs, being GETs elsewhere, still work).
 */
export function expectedOutcome(f: FaultSpec, op: OpSpec, persistent: boolean): Outcome {
  if (f.page) return persistent ? 'error' : 'success';
  if (f.fake2xx && op.method === 'DELETE') return persistent ? 'error' : 'success';
  if (f.final) return 'error';
  // A POST/PATCH whose answer was lost is read back and never re-sent: found (it was processed), a
  // success; not found, the provider may still apply it, so the user is told it is unknown.
  if ((op.method === 'POST' || op.method === 'PATCH') && f.rule.kind !== 'rate_limit') return f.rule.kind === 'drop_after' ? 'success' : 'uncertain';
  if (!persistent) return 'success';
  // Processed each time, the answer lost each time: a PUT/DELETE can only say "may have".
  if (f.rule.kind === 'drop_after' && (op.method === 'PUT' || op.method === 'DELETE')) return 'uncertain';
  return 'error';
}

/** The words the user must read when the scenario ends in an error. */
export function expectedMessage(f: FaultSpec, op: OpSpec): RegExp {
  return f.fake2xx && op.method === 'DELETE' ? /answered 200 instead of the API's 204, yet the target is still there/ : f.message;
}

/** Fault rules for one scenario. Page 2: a no-op rule takes page 1, then the failure applies. */
export function rulesFor(f: FaultSpec, op: OpSpec, w: World, persistent: boolean): FaultRule[] {
  const times = persistent ? Infinity : 1;
  if (f.page) {
    const path = op.list(w);
    return [{ kind: 'latency', ms: 0, method: 'GET', path, times: 1 }, { ...f.rule, method: 'GET', path, times }];
  }
  return [{ ...f.rule, method: op.method, path: op.path(w), times }];
}
