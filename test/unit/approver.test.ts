/**
 * A second person (issue 23.4): which changes need one, that only the approval page can ask for
 * one, who may decide, and that a server which cannot tell two people apart refuses to start.
 */
import { describe, expect, it } from 'vitest';
import { checkDistinctApprover, mayDecide, needsDistinctApprover } from '../../src/safety/approver.js';
import { allowedChannels, chooseChannel } from '../../src/safety/channel.js';
import { heldMarks } from '../../src/safety/marks.js';
import { effectiveScopes, type Caller } from '../../src/safety/scopes.js';
import { loadConfig } from '../../src/config.js';
import { createServerFactory } from '../../src/server.js';
import { createApiClient } from '../../src/api/client.js';
import { ConfigError } from '../../src/errors.js';
import { cli } from '../helpers/cli.js';

const ISS = 'https://login.example.com';
const policy = { confirmMode: 'auto' as const, humanFor: [] as string[], requireDistinctApprover: ['delete_zone', 'ns', 'mail_route'] };
const who = (sub: string, scopes: string): Caller => ({ actor: { channel: 'oauth', iss: ISS, sub }, scopes: effectiveScopes(scopes.split(' ')) });
const ALICE = { channel: 'oauth' as const, iss: ISS, sub: 'alice' };

describe('which changes need a second person', () => {
  it('the operations and effects the setting names, and nothing else', () => {
    expect(needsDistinctApprover(policy, 'delete_zone', ['delete'])).toBe(true);
    expect(needsDistinctApprover(policy, 'apply_zone', ['ns'])).toBe(true);
    expect(needsDistinctApprover(policy, 'delete_record', ['delete'])).toBe(false);
    expect(needsDistinctApprover({}, 'delete_zone', ['delete'])).toBe(false);
  });

  it('a mark it names is held, as VPSORG_HUMAN_FOR holds it', () => {
    expect(heldMarks(policy).has('mail_route')).toBe(true);
    expect(heldMarks({ ...policy, requireDistinctApprover: [] }).has('mail_route')).toBe(false);
  });

  it('only the approval page can ask: no token, form or app view; a client without URL elicitation is refused with the setting named', () => {
    expect(allowedChannels(policy, 'delete_zone', ['delete'])).toEqual(['url']);
    expect(allowedChannels({ ...policy, confirmMode: 'token' }, 'delete_zone', ['delete'])).toEqual(['url']);
    expect(allowedChannels(policy, 'delete_record', ['delete'])).toContain('token');
    const choice = chooseChannel(policy, 'delete_zone', ['delete'], { app: true, form: true, url: false });
    expect('refusal' in choice && choice.refusal.message).toMatch(/second person.*VPSORG_REQUIRE_DISTINCT_APPROVER=delete_zone,ns,mail_route.*\(delete_zone\)/);
  });
});

describe('who may decide a pending approval', () => {
  const rule = { distinct: true, requester: ALICE };

  it('a second subject with dns.approve may; the requester, one without dns.approve, and no one signed in may not', () => {
    expect(mayDecide(rule, who('bob', 'dns.read dns.approve'))).toEqual({ ok: true });
    const self = mayDecide(rule, who('alice', 'dns.read dns.approve'));
    expect(self.ok === false && self.reason).toMatch(/You \(alice\) asked for this change: a second person must approve it/);
    const plain = mayDecide(rule, who('bob', 'dns.read dns.write dns.delete'));
    expect(plain.ok === false && plain.reason).toMatch(/bob, who does not hold the dns.approve scope/);
    expect(mayDecide(rule, undefined).ok).toBe(false);
  });

  it('the same subject at another issuer is another person; a requester without a subject cannot be told apart from anyone', () => {
    expect(mayDecide(rule, { ...who('alice', 'dns.approve'), actor: { channel: 'oauth', iss: 'https://other.example', sub: 'alice' } }).ok).toBe(true);
    const anon = mayDecide({ distinct: true, requester: { channel: 'oauth', iss: ISS } }, who('bob', 'dns.approve'));
    expect(anon.ok).toBe(false);
  });

  it('an approval without the rule is decided at the page as before', () => {
    expect(mayDecide({ requester: ALICE }, undefined)).toEqual({ ok: true });
  });
});

describe('a server that cannot tell two people apart refuses to start', () => {
  const env = { VPSORG_API_TOKEN: 'vps_test', VPSORG_REQUIRE_DISTINCT_APPROVER: 'delete_zone,ns' };
  const oauth = { ...env, VPSORG_AUTH: 'oauth', VPSORG_OAUTH_ISSUER: ISS, VPSORG_PUBLIC_URL: 'https://dns.example.com/mcp' };

  it('stdio, the static key, and OAuth without a client of this server at the issuer', () => {
    const api = createApiClient({ baseUrl: 'http://127.0.0.1:9', token: undefined, timeoutMs: 100 });
    const start = (e: Record<string, string>, transport: 'stdio' | 'http') => () => createServerFactory(loadConfig(e), { api, transport: { transport } });
    expect(start(env, 'stdio')).toThrow(ConfigError);
    expect(start(env, 'stdio')).toThrow(/VPSORG_REQUIRE_DISTINCT_APPROVER=delete_zone,ns needs a second person to sign in.*stdio/);
    expect(start(env, 'http')).toThrow(/static key \(VPSORG_AUTH=key\)/);
    expect(start(oauth, 'http')).toThrow(/needs VPSORG_OAUTH_CLIENT_ID/);
    expect(start({ ...oauth, VPSORG_OAUTH_CLIENT_ID: 'dns-mcp' }, 'http')).not.toThrow();
    expect(() => checkDistinctApprover(loadConfig({ ...oauth, VPSORG_OAUTH_CLIENT_ID: 'dns-mcp' }), 'cli')).toThrow(/cli run has one local user/);
  });

  it('a name that is neither an operation nor an effect is refused, as in VPSORG_HUMAN_FOR', () => {
    const api = createApiClient({ baseUrl: 'http://127.0.0.1:9', token: undefined, timeoutMs: 100 });
    expect(() => createServerFactory(loadConfig({ ...oauth, VPSORG_OAUTH_CLIENT_ID: 'x', VPSORG_REQUIRE_DISTINCT_APPROVER: 'delete_zonee' }), { api, transport: { transport: 'http' } })).toThrow(/VPSORG_REQUIRE_DISTINCT_APPROVER: unknown "delete_zonee"/);
  });

  it('the binary over stdio: exit 2 and one line naming the setting, nothing on stdout', async () => {
    const r = await cli([], { ...env, VPSORG_JOURNAL: 'off' });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^vpsorg-dns-mcp: VPSORG_REQUIRE_DISTINCT_APPROVER=delete_zone,ns needs a second person/);
  });
});
