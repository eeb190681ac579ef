/**
 * An MCP client's OAuth side for tests (SDK v1 and v2 share the provider interface): it registers
 * itself dynamically, and "opens the browser" by following the authorization server's redirects
 * with fetch, as a browser would, until the redirect URI; the code it carries finishes the sign-in.
 */
export class HeadlessOAuthClient {
  private info: Record<string, unknown> | undefined;
  private saved: Record<string, unknown> | undefined;
  private verifier = '';
  /** The authorization code from the last redirect; hand it to transport.finishAuth. */
  code: string | undefined;
  /** All of the redirect's parameters (code, iss per RFC 9207, state): what SDK v2's finishAuth takes. */
  callback: URLSearchParams | undefined;
  /** Scopes of each authorization request, in order (the step-up shows as a second one). */
  asked: string[] = [];

  constructor(readonly redirect = 'http://127.0.0.1:1/callback') {}

  get redirectUrl(): string {
    return this.redirect;
  }
  get clientMetadata() {
    return { client_name: 'test client', redirect_uris: [this.redirect], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none' };
  }
  clientInformation() {
    return this.info as never;
  }
  saveClientInformation(info: unknown) {
    this.info = info as Record<string, unknown>;
  }
  tokens() {
    return this.saved as never;
  }
  saveTokens(tokens: unknown) {
    this.saved = tokens as Record<string, unknown>;
  }
  get accessToken(): string | undefined {
    return this.saved?.['access_token'] as string | undefined;
  }
  saveCodeVerifier(v: string) {
    this.verifier = v;
  }
  codeVerifier() {
    return this.verifier;
  }
  async redirectToAuthorization(url: URL): Promise<void> {
    this.asked.push(url.searchParams.get('scope') ?? '');
    const jar = new Map<string, string>();
    let next = url.href;
    for (let hop = 0; hop < 10; hop++) {
      if (next.startsWith(this.redirect)) {
        this.callback = new URL(next).searchParams;
        this.code = this.callback.get('code') ?? undefined;
        if (!this.code) throw new Error(`no code in ${next}`);
        return;
      }
      const res = await fetch(next, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const i = pair!.indexOf('=');
        jar.set(pair!.slice(0, i), pair!.slice(i + 1));
      }
      const loc = res.headers.get('location');
      if (!loc) throw new Error(`sign-in stopped at ${next}: HTTP ${res.status} ${await res.text()}`);
      next = new URL(loc, next).href;
    }
    throw new Error('too many redirects');
  }
}
