/**
 * DNS-01 present and cleanup, shared by the `acme_challenge` tool and the certbot / lego / acme.sh
 * hooks (src/cli/acme.ts): one code path, so a hook behaves exactly as the tool does.
 */
import { ACME_TTL, acmeTarget, checkAcmeValue, longestSuffixZone } from '../../domain/acme.js';
import { normaliseName } from '../../domain/model.js';
import type { Change } from '../../domain/diff.js';
import { UserError } from '../../errors.js';
import { acmeCleanupChanges, assertAcmeCleanupOnly } from '../../safety/acme-cleanup.js';
import { liveZoneForWrite } from '../../safety/live-zone.js';
import { checkZoneAfter, checkedSpec, planned, toCurrent } from './changes.js';
import { writeRecords, type RecordPlan } from './write-result.js';
import { nameserverAddresses } from './propagation-targets.js';
import type { ZoneRef } from './resolve.js';
import type { ToolContext } from './types.js';
import * as dns from '../../dns/index.js';
import type { ServerStatus } from '../../dns/index.js';

export interface AcmeRequest {
  action: 'present' | 'cleanup';
  domain: string;
  value: string;
  /** present: how long to wait for every nameserver (0: check once). */
  waitSeconds: number;
  pollIntervalMs?: number | undefined;
}

export interface AcmeOutcome {
  action: 'present' | 'cleanup';
  zone: ZoneRef;
  /** The TXT owner, fully qualified without the trailing dot. */
  name: string;
  value: string;
  /** Whether this call wrote (added or removed) anything. */
  changed: boolean;
  /** present: every nameserver address serves the value; cleanup: null (not waited for). */
  served: boolean | null;
  servers: Array<Pick<ServerStatus, 'host' | 'address' | 'port' | 'status' | 'detail'>>;
  /** Nameserver hosts that could not be asked (no address): they count as lagging. */
  unresolved: Array<{ host: string; error: string }>;
  elapsed_ms: number;
  notes: string[];
}

/** The account zone holding `owner` (longest suffix), checked against VPSORG_ALLOWED_ZONES. */
async function zoneOf(ctx: ToolContext, owner: string): Promise<ZoneRef> {
  const { items } = await ctx.api.listZones();
  const zone = longestSuffixZone(owner, items);
  if (!zone) {
    throw new UserError(`No zone in this account contains ${owner}.`, { code: 'not_found', field: 'domain', hint: `Create the zone of the domain first (list_zones shows the account's zones: ${items.map((z) => z.domain).join(', ') || 'none'}).` });
  }
  ctx.zones.assertAllowed(zone.domain);
  return { uuid: zone.uuid, domain: zone.domain.toLowerCase().replace(/\.$/, '') };
}

/** Runs an ACME write through the one write path; a hook has no one to confirm, so a held write is an error. */
async function writeHeld(ctx: ToolContext, args: Record<string, unknown>, plan: () => Promise<RecordPlan>, what: string): Promise<void> {
  const res = await writeRecords(ctx, 'acme_challenge', args, plan);
  if ('inputRequired' in res || !res.structured.applied) {
    const why = 'inputRequired' in res ? [] : res.structured.risk.reasons;
    throw new UserError(`${what} was held for confirmation${why.length ? ` (${why.join('; ')})` : ''}; nothing was changed.`, {
      code: 'policy',
      hint: 'An ACME client cannot ask a person. The effect policy lets DNS-01 values be added and removed without confirmation, except where VPSORG_CONFIRM_MODE=human or VPSORG_HUMAN_FOR=acme_present (or all) holds them: ask the operator.',
    });
  }
}

/** Adds or removes the value; for present, waits until every authoritative nameserver address serves it. */
export async function runAcme(ctx: ToolContext, req: AcmeRequest): Promise<AcmeOutcome> {
  const target = acmeTarget(req.domain);
  const value = checkAcmeValue(req.value);
  const zone = await zoneOf(ctx, target.owner);
  const records = await liveZoneForWrite(ctx.api, zone);
  const current = records.map((r) => toCurrent(r, zone.domain));
  const name = normaliseName(target.owner, zone.domain);
  const base = { action: req.action, zone, name: target.owner, value, servers: [], unresolved: [], notes: [] as string[] };
  if (req.action === 'cleanup') {
    const changes = acmeCleanupChanges(current, zone.domain, name, value);
    if (!changes.length) return { ...base, changed: false, served: null, elapsed_ms: 0, notes: [`${target.owner} did not hold this value: nothing to remove (already cleaned up).`] };
    // Through the effect policy like every write: it lets exactly this class of delete pass
    // unconfirmed (src/safety/acme-cleanup.ts says why); the plan is re-checked before sending.
    await writeHeld(ctx, { action: 'cleanup', domain: req.domain, value }, async () => {
      assertAcmeCleanupOnly(changes, zone.domain, name, value);
      return { ...planned(zone, current, changes), notes: [] };
    }, `Removing the value from ${target.owner}`);
    return { ...base, changed: true, served: null, elapsed_ms: 0 };
  }
  const spec = checkedSpec({ name, record_type: 'TXT', value, ttl: ACME_TTL }, zone.domain);
  const exists = current.some((r) => r.record_type === 'TXT' && r.name === name && r.value === spec.value);
  const changes: Change[] = exists ? [] : [{ action: 'create', after: spec }];
  checkZoneAfter(current, changes, zone.domain);
  if (changes.length) {
    // Adding a value goes through the effect policy like every write (a create needs no confirmation).
    await writeHeld(ctx, { action: 'present', domain: req.domain, value }, async () => ({ ...planned(zone, current, changes), notes: [] }), `Adding the value to ${target.owner}`);
  }
  const { addresses, errors } = await nameserverAddresses(ctx, undefined, records, zone.domain);
  const result = await dns.checkPropagation({
    zone: zone.domain,
    name,
    recordType: 'TXT',
    expected: [value],
    includes: true,
    nameservers: addresses,
    waitSeconds: req.waitSeconds,
    signal: ctx.signal,
    ...(req.pollIntervalMs ? { pollIntervalMs: req.pollIntervalMs } : {}),
    onProgress: (p) => ctx.progress({ progress: p.inSync, total: p.total, message: `${target.owner}: ${p.inSync}/${p.total} nameservers serve the value` }),
  });
  const servers = result.servers.map(({ host, address, port, status, detail }) => ({ host, address, port, status, detail }));
  const notes = exists ? ['The value was already there: nothing added.'] : [];
  return { ...base, changed: !exists, served: result.propagated && errors.length === 0, servers, unresolved: errors, elapsed_ms: result.elapsed_ms, notes };
}

/** One line naming what still lacks the value, for a hook's exit message. */
export function laggingText(o: AcmeOutcome): string {
  const lag = [...o.servers.filter((s) => s.status !== 'in_sync').map((s) => `${s.host} (${s.address}:${s.port}): ${s.detail}`), ...o.unresolved.map((u) => `${u.host}: ${u.error}`)];
  return `${o.name} TXT not served by ${lag.join('; ')} after ${(o.elapsed_ms / 1000).toFixed(1)} s`;
}
