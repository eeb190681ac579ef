/**
 * A real, certified authorization server for the OAuth tests: oidc-provider, in this process, on
 * 127.0.0.1. Resource indicators bind JWT access tokens to a resource (aud); client credentials
 * serve machine callers; dynamic registration serves MCP clients; the interaction route signs in
 * `as.subject` and grants `as.grant` at once, so authorization code + PKCE runs without a person.
 */
import { createServer, type Server } from 'node:http';
import { SignJWT, exportJWK, generateKeyPair, type JWTPayload } from 'jose';
import Provider, { errors } from 'oidc-provider';

export const DNS_SCOPES = 'dns.read dns.write dns.delete dns.approve';

export interface TestIssuer {
  issuer: string;
  /** Who the next sign-in is, and which scopes it is granted (of those asked for). */
  subject: string;
  grant: string;
  /** Resources tokens may be issued for (the MCP URL(s) under test). */
  resources: Set<string>;
  /** Of those, the ones whose access tokens are opaque (checked by introspection, RFC 7662). */
  opaque: Set<string>;
  /** How many introspection requests the issuer has answered. */
  introspections: number;
  /** An `oid` claim per account in its access tokens, as Entra ID's (absent: the account id; null: no `oid`). */
  oids: Map<string, string | null>;
  /** Access token lifetime in seconds for the next tokens. */
  ttl: number;
  provider: Provider;
  /** A client-credentials token (scope, resource) for a test that calls with raw HTTP. */
  machineToken(scope: string, resource: string): Promise<string>;
  /** A JWT signed with this issuer's key (or a stranger's), claims as given: for tokens the server must refuse. */
  sign(claims: JWTPayload, stranger?: boolean): Promise<string>;
  /** Back to the start: the next sign-in is alice, granted dns.read dns.write dns.delete, and no oid overrides. */
  reset(): void;
  close(): Promise<void>;
}

export const MACHINE = { clientId: 'ci-runner', clientSecret: 'ci-runner-secret-0123456789abcdef' };
export const RESOURCE_SERVER = { clientId: 'dns-mcp', clientSecret: 'dns-mcp-secret-0123456789abcdef' };

/** `approverRedirect`: a redirect URI of this server's own client (RESOURCE_SERVER), for the approver's sign-in on the approval page. */
export async function startIssuer(opts: { port?: number; approverRedirect?: string } = {}): Promise<TestIssuer> {
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid: 'test-key' };
  const t = { issuer, resources: new Set<string>(), opaque: new Set<string>(), introspections: 0, ttl: 600, oids: new Map() } as TestIssuer;
  const provider = new Provider(issuer, {
    jwks: { keys: [jwk] },
    clients: [
      { client_id: MACHINE.clientId, client_secret: MACHINE.clientSecret, token_endpoint_auth_method: 'client_secret_basic', id_token_signed_response_alg: 'ES256', grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: DNS_SCOPES },
      { client_id: RESOURCE_SERVER.clientId, client_secret: RESOURCE_SERVER.clientSecret, token_endpoint_auth_method: 'client_secret_basic', id_token_signed_response_alg: 'ES256', grant_types: ['authorization_code'], redirect_uris: [opts.approverRedirect ?? 'http://127.0.0.1/unused'], response_types: ['code'], scope: `openid ${DNS_SCOPES}` },
    ],
    scopes: ['openid', 'offline_access', ...DNS_SCOPES.split(' ')],
    clientDefaults: { id_token_signed_response_alg: 'ES256', grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'none', scope: `openid ${DNS_SCOPES}` },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      registration: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx, _client, oneOf) => oneOf ?? [...t.resources][0] ?? 'urn:none',
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (!t.resources.has(resource)) throw new errors.InvalidTarget();
          return { scope: DNS_SCOPES, audience: resource, accessTokenFormat: t.opaque.has(resource) ? 'opaque' : 'jwt', accessTokenTTL: t.ttl, jwt: { sign: { alg: 'ES256' } } };
        },
      },
    },
    pkce: { required: () => true },
    cookies: { keys: ['test-cookie-key-0123456789abcdef'] },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    extraTokenClaims: (_ctx, token) => {
      const account = (token as { accountId?: string }).accountId;
      const oid = account === undefined ? null : t.oids.has(account) ? t.oids.get(account) : account;
      return oid ? { oid } : undefined;
    },
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
    clientBasedCORS: () => true,
  });
  provider.on('server_error', (_ctx, err) => process.stderr.write(`oidc-provider: ${String(err)}\n`));
  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (req.url?.startsWith('/token/introspection')) t.introspections++;
    if (!req.url?.startsWith('/interaction/')) return void callback(req, res);
    // The person signs in as t.subject and grants what was asked, within t.grant.
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      const accountId = t.subject;
      const grant = new provider.Grant({ accountId, clientId: details.params['client_id'] as string });
      const asked = details.prompt.details as { missingOIDCScope?: string[]; missingResourceScopes?: Record<string, string[]> };
      if (asked.missingOIDCScope?.length) grant.addOIDCScope(asked.missingOIDCScope.join(' '));
      const allowed = new Set(t.grant.split(' '));
      for (const [resource, scopes] of Object.entries(asked.missingResourceScopes ?? {})) {
        grant.addResourceScope(resource, scopes.filter((s) => allowed.has(s)).join(' '));
        // What the person may not have is refused, not left pending (the provider would ask for consent again).
        const refused = scopes.filter((s) => !allowed.has(s));
        if (refused.length) grant.rejectResourceScope(resource, refused.join(' '));
      }
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
    })().catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  t.provider = provider;
  t.machineToken = async (scope, resource) => {
    const res = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${MACHINE.clientId}:${MACHINE.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource }),
    });
    const body = (await res.json()) as { access_token?: string };
    if (!body.access_token) throw new Error(`token request failed: ${JSON.stringify(body)}`);
    return body.access_token;
  };
  const other = await generateKeyPair('ES256');
  t.sign = (claims, stranger = false) => new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'test-key', typ: 'at+jwt' }).sign(stranger ? other.privateKey : privateKey);
  t.reset = () => {
    t.subject = 'alice';
    t.grant = 'dns.read dns.write dns.delete';
    t.oids.clear();
  };
  t.reset();
  t.close = () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r())));
  return t;
}
