import { ProtocolError, ProtocolErrorCode, ResourceNotFoundError, ResourceTemplate, type McpServer } from '@modelcontextprotocol/server';
import { UserError } from '../errors.js';
import { log, redact } from '../log.js';
import { CHANGES_RESOURCE, type ZoneResourceKind } from './kinds.js';
import type { ResourceEnv } from './zones.js';

/** Resource failures as protocol errors with the same wording (and redaction) as tool errors. */
export function resourceError(err: unknown, uri: string): ProtocolError {
  if (err instanceof UserError) {
    const text = redact(`${err.message}${err.hint ? ` What to do: ${err.hint}` : ''}`);
    if (err.code === 'not_found') return new ResourceNotFoundError(uri, text);
    const invalid = err.code === 'policy' || err.code === 'validation';
    return new ProtocolError(invalid ? ProtocolErrorCode.InvalidParams : ProtocolErrorCode.InternalError, text, { uri, code: err.code });
  }
  log.error(`resource ${uri}: unexpected error: ${err instanceof Error && err.stack ? err.stack : String(err)}`);
  return new ProtocolError(ProtocolErrorCode.InternalError, redact(`Reading ${uri} failed unexpectedly: ${err instanceof Error ? err.message : String(err)}`), { uri });
}

/** Completes a zone's domain (resource templates, prompt arguments); the resource code loads at the first use. */
export function zoneDomainCompleter(env: ResourceEnv): (prefix: string) => Promise<string[]> {
  return async (prefix) => (await import('./reading.js')).completeZoneDomain(env, prefix);
}

/**
 * Registers the zone resource templates, and replaces the SDK's resources/list handler: the SDK's
 * own handler (2.4) calls template list callbacks without the request's cursor and drops their
 * nextCursor, so it cannot paginate; thousands of zones would go out in one answer.
 */
export function registerZoneResources(
  server: McpServer,
  env: ResourceEnv,
  kinds: readonly ZoneResourceKind[],
  complete: (prefix: string) => Promise<string[]>,
  /** Other fixed resources (the MCP App views), listed with the first page like the change journal. */
  fixed: ReadonlyArray<{ uri: string; name: string }> = [],
): void {
  // The zone list changes only through this server's own tools or the VPS.org panel; no notifications are sent.
  server.server.registerCapabilities({ resources: { listChanged: false } });
  for (const kind of kinds) {
    const template = new ResourceTemplate(kind.uriTemplate, { list: undefined, complete: { domain: complete } });
    server.registerResource(kind.template, template, { title: kind.title, description: kind.description, mimeType: kind.mimeType }, async (uri, variables) => {
      const raw = variables['domain'];
      const domain = Array.isArray(raw) ? (raw[0] ?? '') : (raw ?? '');
      try {
        const { readZoneResource } = await import('./reading.js');
        const text = redact(await readZoneResource(env, kind, domain));
        return { contents: [{ uri: uri.href, mimeType: kind.mimeType, text }] };
      } catch (err) {
        throw resourceError(err, uri.href);
      }
    });
  }
  server.registerResource(CHANGES_RESOURCE.name, CHANGES_RESOURCE.uri, { title: CHANGES_RESOURCE.title, description: CHANGES_RESOURCE.description, mimeType: CHANGES_RESOURCE.mimeType }, async (uri) => {
    const { listChanges, listText } = await import('../history/listing.js');
    // As list_changes: a signed-in caller sees its own changes, everyone's only with dns.approve.
    const own = env.caller?.scopes != null && !env.caller.scopes.has('dns.approve');
    const list = await listChanges(env.config, { allowed: env.zones.allowed, limit: 100, ...(own && env.caller ? { by: env.caller.actor } : {}) });
    return { contents: [{ uri: uri.href, mimeType: CHANGES_RESOURCE.mimeType, text: redact(listText(list)) }] };
  });
  server.server.setRequestHandler('resources/list', async (request) => {
    try {
      const { listZoneResources } = await import('./reading.js');
      const page = await listZoneResources(env, request.params?.cursor, undefined, kinds);
      // The change journal is one resource, listed with the first page.
      return request.params?.cursor === undefined ? { ...page, resources: [...page.resources, CHANGES_RESOURCE, ...fixed] } : page;
    } catch (err) {
      throw resourceError(err, 'vpsorg://zones/');
    }
  });
}
