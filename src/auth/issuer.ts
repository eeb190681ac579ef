/**
 * The authorization server's metadata (RFC 8414, else OpenID Connect discovery), fetched from the
 * configured issuer and cached. The document must name the configured issuer exactly (RFC 8414
 * section 3.3): a metadata document that names another is refused, so a redirected or poisoned
 * lookup cannot switch the keys this server trusts.
 */
import { log } from '../log.js';

export interface IssuerMetadata {
  issuer: string;
  jwks_uri?: string;
  introspection_endpoint?: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  scopes_supported?: string[];
  [key: string]: unknown;
}

/** Metadata is read again after this long (keys rotate through jwks_uri, which jose re-reads by itself). */
const TTL_MS = 60 * 60_000;
/** After a failed lookup, callers get the failure for this long before the next try. */
const RETRY_MS = 10_000;

/** The well-known addresses to try, in order: RFC 8414 (path inserted), then OpenID Connect (path appended). */
export function discoveryUrls(issuer: string): string[] {
  const u = new URL(issuer);
  const path = u.pathname.replace(/\/$/, '');
  return [`${u.origin}/.well-known/oauth-authorization-server${path}`, `${u.origin}${path}/.well-known/openid-configuration`];
}

export class IssuerDirectory {
  private cached: { meta: IssuerMetadata; at: number } | undefined;
  private failed: { err: Error; at: number } | undefined;
  private pending: Promise<IssuerMetadata> | undefined;

  constructor(readonly issuer: string, private readonly now = Date.now) {}

  async metadata(): Promise<IssuerMetadata> {
    const t = this.now();
    if (this.cached && t - this.cached.at < TTL_MS) return this.cached.meta;
    if (this.failed && t - this.failed.at < RETRY_MS && !this.cached) throw this.failed.err;
    this.pending ??= this.fetch().finally(() => (this.pending = undefined));
    try {
      return await this.pending;
    } catch (err) {
      // A stale document beats none while the issuer is briefly unreachable.
      if (this.cached) return this.cached.meta;
      throw err;
    }
  }

  private async fetch(): Promise<IssuerMetadata> {
    const reasons: string[] = [];
    for (const url of discoveryUrls(this.issuer)) {
      try {
        const res = await fetch(url, { headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(10_000) });
        if (!res.ok) {
          reasons.push(`${url}: HTTP ${res.status}`);
          continue;
        }
        const meta = (await res.json()) as IssuerMetadata;
        if (meta.issuer !== this.issuer) throw new Error(`${url} names the issuer "${String(meta.issuer)}", not "${this.issuer}" (VPSORG_OAUTH_ISSUER must be the issuer exactly as the server states it)`);
        this.cached = { meta, at: this.now() };
        this.failed = undefined;
        return meta;
      } catch (err) {
        reasons.push(err instanceof Error ? err.message : String(err));
      }
    }
    const err = new Error(`Cannot read the authorization server's metadata from ${this.issuer}: ${reasons.join('; ')}`);
    this.failed = { err, at: this.now() };
    log.warn(`oauth: ${err.message}`);
    throw err;
  }
}
