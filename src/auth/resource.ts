/**
 * This server as an OAuth 2.1 protected resource (MCP authorization; RFC 9728, RFC 6750): the
 * metadata document that points clients at the authorization server, and the check of each MCP
 * request's bearer token, answered with a 401 challenge that says where that document is and which
 * scopes to ask for. The resource is VPSORG_PUBLIC_URL, never a request header.
 */
import { OAuthError, OAuthErrorCode, bearerAuthChallengeResponse, getOAuthProtectedResourceMetadataUrl, verifyBearerToken, type AuthInfo, type OAuthTokenVerifier } from '@modelcontextprotocol/server';
import { SCOPES } from '../safety/scopes.js';

export interface ResourceServer {
  /** Paths the metadata document is served at (RFC 9728: the resource's path appended; the bare one too). */
  metadataPaths: string[];
  /** The document's public URL, as the challenges name it. */
  metadataUrl: string;
  document: Record<string, unknown>;
  /** The verified caller, or the ready challenge to send. */
  authenticate(authorization: string | undefined): Promise<AuthInfo | Response>;
}

export function resourceServer(opts: { publicUrl: URL; issuer: string; verifier: OAuthTokenVerifier; challengeScopes: readonly string[] }): ResourceServer {
  const metadataUrl = getOAuthProtectedResourceMetadataUrl(opts.publicUrl);
  const own = new URL(metadataUrl).pathname;
  const document = {
    resource: opts.publicUrl.href,
    authorization_servers: [opts.issuer],
    scopes_supported: [...SCOPES],
    bearer_methods_supported: ['header'],
    resource_name: 'VPS.org DNS (vpsorg-dns-mcp)',
  };
  const challenge = { requiredScopes: [...opts.challengeScopes], resourceMetadataUrl: metadataUrl };
  return {
    metadataPaths: [...new Set([own, '/.well-known/oauth-protected-resource'])],
    metadataUrl,
    document,
    async authenticate(authorization) {
      try {
        // The token's audience is checked by the verifier (verifier.ts), against VPSORG_OAUTH_AUDIENCE or the public URL.
        return await verifyBearerToken(authorization, { verifier: opts.verifier, resourceMetadataUrl: metadataUrl });
      } catch (err) {
        const e = err instanceof OAuthError ? err : new OAuthError(OAuthErrorCode.ServerError, 'Internal error');
        return bearerAuthChallengeResponse(e, challenge);
      }
    },
  };
}
