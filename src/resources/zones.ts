/**
 * Zones as MCP resources, free of SDK types like the tools: `vpsorg://zones/{domain}/zonefile`
 * (the BIND export) and `vpsorg://zones/{domain}/records` (the records as JSON, API field names).
 * Reads go through the same ZoneResolver as the tools, so VPSORG_ALLOWED_ZONES applies.
 */
import type { Config } from '../config.js';
import type { VpsApi } from '../api/types.js';
import type { Caller } from '../safety/scopes.js';
import type { ZoneRef, ZoneResolver } from '../tools/kit/resolve.js';
import { isDomainArg, canonicalDomain } from '../tools/kit/resolve.js';
import { recordOutOf } from '../tools/kit/output.js';
import { zoneFileOf } from '../tools/defs/zonefile.js';
import { dataLine, visibleJson } from '../domain/display.js';
import { ValidationError } from '../errors.js';
import { log } from '../log.js';
import { DATA_NOTICE, zoneUri, type ZoneResourceKind } from './kinds.js';

export interface ResourceEnv {
  api: VpsApi;
  zones: ZoneResolver;
  config: Pick<Config, 'nameservers' | 'journalDir' | 'stateUrl' | 'journalOff' | 'confirmSecret' | 'keyFile'>;
  /** Who reads (HTTP: this request's caller); the change journal shows a signed-in caller its own changes unless it holds dns.approve. */
  caller?: Caller;
}

const READERS: Record<ZoneResourceKind['kind'], (env: ResourceEnv, zone: ZoneRef) => Promise<string>> = {
  async zonefile(env, zone) {
    const { text } = await zoneFileOf(env.api, env.config, zone);
    // Comments keep it a valid zone file; escaping only touches characters a zone file cannot hold unescaped.
    return `; ${DATA_NOTICE}\n${text.split('\n').map(dataLine).join('\n')}`;
  },
  async records(env, zone) {
    const { items, truncated } = await env.api.listZoneRecords(zone.uuid);
    return visibleJson({ zone: { uuid: zone.uuid, domain: zone.domain }, notice: DATA_NOTICE, truncated, record_count: items.length, records: items.map(recordOutOf) });
  },
};

/** Reads one zone resource; the zone must be named by its domain and pass the allowlist. */
export async function readZoneResource(env: ResourceEnv, kind: ZoneResourceKind, domainArg: string): Promise<string> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(domainArg);
  } catch {
    decoded = ''; // a stray % is a bad URI, reported below like any other non-domain
  }
  const domain = canonicalDomain(decoded);
  if (!isDomainArg(domain)) {
    throw new ValidationError([{ field: 'domain', rule: 'domain', message: `the resource URI names a zone by its domain, not "${domain.slice(0, 60)}"`, example: zoneUri(kind, 'example.com') }]);
  }
  const zone = await env.zones.resolve(domain);
  return READERS[kind.kind](env, zone);
}

/**
 * Domains of the visible zones starting with `prefix`, for completing `{domain}` (one zone listing).
 * Completion is a convenience: when the zone list can't be read it offers nothing rather than an error.
 */
export async function completeZoneDomain(env: ResourceEnv, prefix: string): Promise<string[]> {
  const p = canonicalDomain(prefix);
  try {
    const zones = await env.zones.visibleZones();
    return zones.map((z) => z.domain).filter((d) => d.startsWith(p)).sort();
  } catch (err) {
    log.warn(`completion of zone domains failed: ${err instanceof Error ? err.message : String(err)}`);
    return [];
  }
}
