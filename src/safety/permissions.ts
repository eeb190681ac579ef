/**
 * Start-up permission filter (VPSORG_FILTER_BY_PERMISSIONS): ask the provider once which
 * permissions the token carries, so that tools it cannot use are not offered to the agent.
 * Off by default: the contract only assumes the name `dns:update`, and a wrong guess would hide
 * tools that work; with it off, a call the token may not make fails with the provider's 403.
 */
import type { Config } from '../config.js';
import type { VpsApi } from '../api/types.js';
import { log } from '../log.js';

export const PERMISSIONS_TIMEOUT_MS = 3000;

/**
 * The token's permissions, or null to register every tool (filter off, no token, or the
 * provider could not be asked in time: then 403s speak for themselves). Never throws.
 */
export async function startupPermissions(config: Pick<Config, 'filterByPermissions' | 'token' | 'timeoutMs'>, api: Pick<VpsApi, 'whoami'>): Promise<readonly string[] | null> {
  if (!config.filterByPermissions) return null;
  if (!config.token) {
    log.warn('VPSORG_FILTER_BY_PERMISSIONS is on but VPSORG_API_TOKEN is not set: registering every tool.');
    return null;
  }
  const limit = Math.min(PERMISSIONS_TIMEOUT_MS, config.timeoutMs);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${limit} ms`)), limit);
    timer.unref();
  });
  try {
    const me = await Promise.race([api.whoami(), timeout]);
    const permissions = me.token.permissions.filter((p) => typeof p === 'string');
    log.info(`API token permissions: ${permissions.join(', ') || '(none)'}; tools needing others are left out (VPSORG_FILTER_BY_PERMISSIONS).`);
    return permissions;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    log.warn(`Could not read the API token's permissions (${why}): registering every tool; a call the token may not make will fail with the permission it lacks.`);
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/** The permissions the provider documents; any other a change needs is assumed granted. */
export const DOCUMENTED_PERMISSIONS: readonly string[] = ['dns:list', 'dns:create', 'dns:delete'];
const CACHE_MS = 5 * 60_000;
const cache = new WeakMap<object, { at: number; perms: Promise<readonly string[] | null> }>();

/**
 * The token's permissions from GET /account/me/, cached per API client for 5 minutes; null when
 * the provider could not say (then nothing is assumed missing, and a 403 speaks for itself).
 */
export function tokenPermissions(api: Pick<VpsApi, 'whoami'>, now = Date.now()): Promise<readonly string[] | null> {
  const hit = cache.get(api);
  if (hit && now - hit.at < CACHE_MS) return hit.perms;
  const perms = api.whoami().then(
    (me) => me.token.permissions.filter((p) => typeof p === 'string'),
    () => {
      cache.delete(api);
      return null;
    },
  );
  cache.set(api, { at: now, perms });
  return perms;
}

/** Which of `needed` the token is known to lack (documented permissions only). */
export async function missingPermissions(api: Pick<VpsApi, 'whoami'> | undefined, needed: readonly string[]): Promise<string[]> {
  const check = needed.filter((p) => DOCUMENTED_PERMISSIONS.includes(p));
  if (!api || !check.length) return [];
  const granted = await tokenPermissions(api);
  return granted ? check.filter((p) => !granted.includes(p)) : [];
}
