/**
 * A dry run you can dig (issue 25.6): the zone a plan would leave, served by the preview
 * nameserver (dns/preview-book.ts) exactly as the provider's nameservers would serve it once
 * applied (the same rendering as the sandbox's: provider apex NS, TXT in 255-byte strings), with
 * the served SOA serial + 1. A preview is bound to its plan by digest: apply_zone given its id
 * applies that plan or nothing.
 */
import * as z from 'zod';
import { UserError, ValidationError } from '../../errors.js';
import { applyChanges } from '../../domain/diff.js';
import { normaliseRecord, toApiValue } from '../../domain/model.js';
import { cmp } from '../../domain/names.js';
import { renderZoneFile } from '../../domain/zonefile.js';
import { argsDigest, digest } from '../../safety/confirm.js';
import { configuredNameservers, providerNsNames, servedSoa } from '../../dns/zone-soa.js';
import { indexZone } from '../../dns/zone-index.js';
import { PREVIEW_TTL_MS, MAX_PREVIEWS, type Preview, type PreviewBook, type PreviewEndpoint } from '../../dns/preview-book.js';
import type { ZoneData, ZoneRecord } from '../../dns/zone-rdata.js';
import type { NameserverAddress } from '../../dns/nameservers.js';
import { withPreview } from '../../dns/preview-resolver.js';
import type { LiveResolver } from '../../audit/live/types.js';
import type { ZonePlan } from './plan.js';
import type { ToolContext } from './types.js';

const MINUTES = PREVIEW_TTL_MS / 60_000;
/** A zone file larger than this is left out of the result (dig it instead). */
const ZONE_FILE_BYTES = 16_000;

export const previewOut = z
  .object({
    id: z.string().describe('Pass as `preview` to check_propagation, check_delegation, audit_zone, or apply_zone (applies exactly this plan).'),
    server: z.string().describe('The loopback nameserver serving it (ip:port).'),
    dig: z.string(),
    serial: z.number(),
    expires_at: z.string(),
    zone_file: z.string().optional().describe('The planned zone as a BIND zone file (left out over 16 KB).'),
  })
  .optional()
  .describe(`preview: true: the planned zone, served for ${MINUTES} minutes (${MAX_PREVIEWS} zones at most, one preview per zone; the oldest ends first).`);

export type PreviewOut = NonNullable<z.infer<typeof previewOut>>;

/** The arguments a preview is bound to: the plan's (dry_run, tokens and preview itself select nothing). */
const planArgs = (args: Record<string, unknown>) => argsDigest({ ...args, preview: undefined });

/** The plan's identity: the live zone it was computed against and its changes. */
export const planDigest = (plan: ZonePlan) => digest({ zone: plan.zone.uuid, current: [...plan.current].sort((a, b) => cmp(a.uuid, b.uuid)), changes: plan.changes });

function book(ctx: ToolContext): PreviewBook {
  if (ctx.previews) return ctx.previews;
  throw new UserError('Previews are off on this server: it has no loopback nameserver to serve them from.', {
    code: 'preview_off',
    field: 'preview',
    hint: 'Leave out preview, or ask the operator to set VPSORG_PREVIEW_DNS=127.0.0.1:0 (on with --sandbox).',
  });
}

/** The records the zone holds after the plan, as the API would hold them. */
function recordsAfter(plan: ZonePlan): ZoneRecord[] {
  return applyChanges(plan.current, plan.changes).map((r) => ({ record_type: r.record_type, name: r.name, value: toApiValue(r, plan.zone.domain), ttl: r.ttl, priority: r.priority }));
}

const hostPort = (e: PreviewEndpoint) => (e.host.includes(':') ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`);

/** The `dig` line for the first planned change (else the zone's SOA). */
function digLine(e: PreviewEndpoint, plan: ZonePlan): string {
  const c = plan.changes[0];
  const r = c ? (c.action === 'create' ? c.after : c.before) : undefined;
  const name = !r || r.name === '@' ? `${plan.zone.domain}.` : r.name.endsWith('.') ? r.name : `${r.name}.${plan.zone.domain}.`;
  return `dig @${e.host} -p ${e.port} ${name} ${r?.record_type ?? 'SOA'} +norec`;
}

/** The preview as a BIND zone file: its served apex NS and SOA, the planned records. */
export function previewZoneFile(p: Preview, domain: string): string {
  const idx = indexZone(domain, p.data);
  const ns = (idx.nodes.get(idx.zone)?.get('NS') ?? []).map((rr) => `${String((rr as { data: unknown }).data)}.`);
  // Read back as the nameserver reads them (zone-rdata.ts), so the file says what it serves.
  return renderZoneFile(domain, p.data.records.map((r) => normaliseRecord(r, domain)), { nameservers: ns, serial: p.data.serial });
}

/** Files the plan as a preview and says how to dig it. */
export async function makePreview(ctx: ToolContext, plan: ZonePlan, args: Record<string, unknown>): Promise<{ preview: PreviewOut; text: string }> {
  const previews = book(ctx);
  const soa = await servedSoa(configuredNameservers(ctx.config.nameservers), plan.zone.domain, { signal: ctx.signal });
  const data: ZoneData = { records: recordsAfter(plan), serial: ((soa?.serial ?? 0) + 1) >>> 0 };
  const endpoint = await previews.endpoint();
  const p = previews.add({ zone: plan.zone.domain, zoneUuid: plan.zone.uuid, data, planDigest: planDigest(plan), argsDigest: planArgs(args) });
  const file = previewZoneFile(p, plan.zone.domain);
  const preview: PreviewOut = {
    id: p.id,
    server: hostPort(endpoint),
    dig: digLine(endpoint, plan),
    serial: data.serial,
    expires_at: new Date(p.expiresAt).toISOString(),
    ...(Buffer.byteLength(file) <= ZONE_FILE_BYTES ? { zone_file: file } : {}),
  };
  const text = [
    `Preview ${p.id}: the planned zone is served at ${preview.server} until ${preview.expires_at} (serial ${data.serial}${soa ? '' : ', no nameserver gave the current one'}): ${preview.dig}`,
    `Pass preview: "${p.id}" to check_propagation, check_delegation or audit_zone to check it, or to apply_zone to apply exactly this plan.`,
  ].join('\n');
  return { preview, text };
}

/** What a preview id is refused for, in words. */
function missText(id: string, m: Exclude<ReturnType<PreviewBook['get']>, Preview>): string {
  const of = m.zone ? ` of ${m.zone}` : '';
  switch (m.why) {
    case 'expired':
      return `preview ${id}${of} expired (previews last ${MINUTES} minutes)`;
    case 'replaced':
      return `preview ${id}${of} was replaced by a newer preview of the same zone, ${m.by ?? ''} (one preview per zone)`;
    case 'evicted':
      return `preview ${id}${of} was ended to make room (at most ${MAX_PREVIEWS} previews at once)`;
    case 'unknown':
      return `preview "${id.slice(0, 40)}" is not one this server holds (previews live only in the server process that made them)`;
  }
}

const AGAIN = 'Make a new preview: plan_zone (or apply_zone with dry_run: true) with preview: true.';

/** The live preview `id` of `zone` (domain), or a refusal that says why not. */
export function previewOf(ctx: ToolContext, id: string, zone: { domain: string }): Preview {
  const p = book(ctx).get(id);
  if (!('id' in p)) throw new UserError(`Nothing was checked: ${missText(id, p)}.`, { code: 'preview_gone', field: 'preview', hint: AGAIN });
  if (p.zone !== zone.domain.toLowerCase()) {
    throw new ValidationError([{ field: 'preview', rule: 'same_zone', message: `preview ${id} is of ${p.zone}, not ${zone.domain}: pass zone ${p.zone}, or make a preview of ${zone.domain}` }]);
  }
  return p;
}

/** The preview nameserver as the check tools ask a nameserver. */
export async function previewAddress(ctx: ToolContext, p: Preview): Promise<NameserverAddress> {
  const e = await book(ctx).endpoint();
  return { host: `preview ${p.id}`, address: e.host, port: e.port, family: e.host.includes(':') ? 6 : 4 };
}

/**
 * audit_zone {live: true, preview}: the preview's records (what the audit reads as the zone) and
 * a wrapper that puts the preview nameserver in front of the audit's resolver for that zone.
 */
export async function previewForAudit(ctx: ToolContext, id: string, zone: { domain: string }): Promise<{ records: ZoneRecord[]; wrap(resolver: LiveResolver): LiveResolver }> {
  const p = previewOf(ctx, id, zone);
  const server = await previewAddress(ctx, p);
  const target = { zone: p.zone, server, providerHosts: providerNsNames(ctx.config), signal: ctx.signal };
  return { records: [...p.data.records], wrap: (resolver) => withPreview(resolver, target) };
}

/**
 * apply_zone with a preview id: the plan computed now must be the previewed one. Other arguments
 * are another plan; the same arguments against a zone that moved since are the stale-plan refusal
 * (plan_changed, as `apply --checksum`).
 */
export function checkPreviewed(ctx: ToolContext, id: string, plan: ZonePlan, args: Record<string, unknown>): void {
  const p = previewOf(ctx, id, plan.zone);
  if (p.argsDigest !== planArgs(args)) {
    throw new ValidationError([{ field: 'preview', rule: 'same_plan', message: `preview ${id} was made for other arguments (records, zone_file or mode): call apply_zone with exactly the arguments of that preview, or make a new preview of these` }]);
  }
  if (p.planDigest !== planDigest(plan)) {
    throw new UserError(`Nothing was applied: the plan for ${plan.zone.domain} is no longer the one preview ${id} served (the live zone changed since).`, { code: 'plan_changed', field: 'preview', hint: `${AGAIN} Check it, then apply with its id.` });
  }
}
