/**
 * Every setting, once: the README's settings table and the MCPB manifest's user_config are
 * generated from this list, and a test checks that every VPSORG_* name used in src/ is here.
 */
export interface SettingDoc {
  name: string;
  flag?: string;
  default: string;
  description: string;
  /** A credential: the MCP registry's server.json marks it secret, and it is never logged. */
  secret?: true;
  /** How an MCPB host asks for it; absent: not offered in the bundle's settings form. */
  mcpb?: { key: string; title: string; type: 'string' | 'boolean' | 'number' | 'directory'; required?: boolean; sensitive?: boolean; default?: string | boolean | number };
}

export const SETTINGS: SettingDoc[] = [
  {
    name: 'VPSORG_API_TOKEN',
    default: '(none)',
    secret: true,
    description: 'The VPS.org API token (starts with `vps_`; make one at https://admin.vps.org/account/developers/ with the dns:* permissions you need). Environment only, never a flag. Without it tools are listed and each call explains how to set it.',
    mcpb: { key: 'api_token', title: 'VPS.org API token', type: 'string', required: true, sensitive: true },
  },
  {
    name: 'VPSORG_API_URL',
    flag: '--api-url',
    default: 'https://admin.vps.org',
    description: 'The API base URL; the client appends `/api/v1/...`.',
    mcpb: { key: 'api_url', title: 'API URL', type: 'string', default: 'https://admin.vps.org' },
  },
  {
    name: 'VPSORG_NAMESERVERS',
    flag: '--nameservers',
    default: 'ns1.vps.org,ns2.vps.org',
    description: 'The authoritative nameservers check_propagation asks: `host`, `host:port`, `ip:port`, `[v6]:port` or `host=ip:port`, comma-separated. The zone\'s own apex NS hosts are asked too.',
    mcpb: { key: 'nameservers', title: 'Nameservers to check', type: 'string' },
  },
  {
    name: 'VPSORG_READ_ONLY',
    flag: '--read-only',
    default: 'false',
    description: 'true: only tools whose readOnlyHint is true exist; nothing can change DNS.',
    mcpb: { key: 'read_only', title: 'Read-only', type: 'boolean', default: false },
  },
  {
    name: 'VPSORG_TOOLSETS',
    flag: '--toolsets',
    default: '(all)',
    description: 'Comma list of toolsets to offer: essential (8 everyday tools, the smallest tool list), or any of account, zones, records, bulk, zonefile, propagation, audit, history, acme.',
    mcpb: { key: 'toolsets', title: 'Toolsets', type: 'string' },
  },
  {
    name: 'VPSORG_ALLOWED_ZONES',
    flag: '--allowed-zones',
    default: '(all)',
    description: 'Comma list of zones the server may touch: exact names or `*.suffix`. Others are refused before any request.',
    mcpb: { key: 'allowed_zones', title: 'Allowed zones', type: 'string' },
  },
  {
    name: 'VPSORG_CONFIRM_MODE',
    flag: '--confirm-mode',
    default: 'auto',
    description:
      'How held changes (deletes, NS changes, replaced values, over-budget changes) are confirmed. `auto`: the strongest channel the client offers (MCP App view, then approval page (URL elicitation), then form), else a confirm_token (`both` is read as `auto`). `human`: only a channel the model cannot answer for, never a token, and additions and repoints that hijack (mail, addresses, wildcards, CAA, ACME records, names that grant authority such as DKIM keys, the apex) are held too; a client with none is refused with how to approve instead. `token`: always the confirm_token round trip. `elicit`: only the form. `form-first`: as `auto`, with the form ahead of the approval page (for clients that declare URL elicitation but never open the page).',
  },
  { name: 'VPSORG_HUMAN_FOR', flag: '--human-for', default: '(none)', description: 'Comma list of operations (tool names, e.g. `delete_zone`) and effects (`delete`, `ns`, `blast_radius`, `budget`, `rename`, `retype`, `value_removed`; naming `mail_route`, `address_added`, `wildcard`, `caa`, `acme_present`, `authorizes`, `apex` or `all` also holds those) that only a person may confirm, whatever the mode. Codes with examples: docs/safety.md. Example: `delete_zone,ns,mail_route`.' },
  { name: 'VPSORG_CONFIRM_SECRET', secret: true, default: '(state.key beside the journal)', description: 'Keys confirmation tokens, receipts and resume handles (16+ characters). Without it the server makes a random key once and keeps it beside the journal, so undo works after a restart; with no journal, a key per process. Set the same one on every replica that serves one client.' },
  { name: 'VPSORG_BACKUP_DIR', flag: '--backup-dir', default: '(none)', description: 'Where a zone-file snapshot of deleted data is written before a delete runs. Checked at start: a missing folder is made when its parent exists; a folder that cannot be used (missing parent, a file, unreadable, world-writable, a symlink) stops the server with one line (exit code 2).' },
  {
    name: 'VPSORG_JOURNAL_DIR',
    flag: '--journal-dir',
    default: '$XDG_STATE_HOME/vpsorg-dns-mcp, else ~/.local/state/vpsorg-dns-mcp',
    description: 'Where the change journal (`journal.jsonl`: every applied change, its receipt, and whether it was undone) and its key (`state.key`) are kept; `--sandbox` uses its `sandbox` subfolder. It must be a folder of this user that no one else can write, not a symlink: otherwise the server stops with one line (exit code 2). Without it, HOME or XDG_STATE_HOME, no journal is kept; receipts still work.',
    mcpb: { key: 'journal_dir', title: 'Change journal directory', type: 'directory' },
  },
  { name: 'VPSORG_JOURNAL', default: 'on', description: '`off`: keep no change journal and put no undo receipt in results: changes made then cannot be undone by undo_change (take them back from the `before` of their diff); list_changes has nothing to show.' },
  {
    name: 'VPSORG_MAX_INLINE_WAIT_S',
    default: '45',
    description: 'The longest one MCP call waits for propagation (1-600 s); a longer wait_seconds returns a `resume` handle to continue with. The CLI waits the whole time.',
  },
  { name: 'VPSORG_TIMEOUT_MS', flag: '--timeout-ms', default: '15000', description: 'Per API request attempt (100-600000).' },
  { name: 'VPSORG_FILTER_BY_PERMISSIONS', default: 'false', description: 'true: ask the provider at start which permissions the token has and leave out tools it cannot use.' },
  { name: 'VPSORG_DNS_ROOTS', default: '(the root servers)', description: 'check_delegation: where the walk from the root starts (`host=ip:port` list).' },
  { name: 'VPSORG_AUDIT_HTTP', default: 'false', description: 'true: the live audit (`audit_zone` with `live: true`) fetches the MTA-STS policy over HTTPS from `mta-sts.<zone>`. Off, it makes DNS lookups only and lists the policy as not checked.' },
  { name: 'VPSORG_DNS_RESOLVER', default: '(none)', description: 'check_delegation: a recursive resolver (`ip:port`) to ask instead of walking from the root.' },
  { name: 'VPSORG_PREVIEW_DNS', default: 'off (--sandbox: 127.0.0.1:0)', description: 'Where plan_zone / apply_zone `preview: true` serve the planned zone for 10 minutes (at most 5 zones), for `dig` and the checks: a loopback `ip:port` (port 0: a free one), or `off`. See docs/safety.md.' },
  { name: 'VPSORG_MCP_HTTP_KEY', secret: true, default: '(none)', description: 'HTTP transport: the access key clients send as `Authorization: Bearer <key>` (16+ characters). Required unless `--no-http-auth` on loopback. It is not a VPS.org token.' },
  { name: 'VPSORG_PUBLIC_URL', default: '(none)', description: 'HTTP transport: the MCP endpoint\'s public URL as clients reach it (e.g. `https://dns.example.com/mcp`; a bare origin means its `/mcp`). Approval pages are offered under its origin, its host is accepted as Host, and with `VPSORG_AUTH=oauth` it is the token audience and the protected resource. Request headers never set it.' },
  { name: 'VPSORG_TRUST_FORWARDED', default: 'false', description: 'HTTP transport without `VPSORG_PUBLIC_URL`: true reads `X-Forwarded-Proto` (set by your TLS-terminating proxy) for the approval page\'s scheme. Off, `X-Forwarded-*` headers are ignored: any client can send them.' },
  { name: 'VPSORG_AUTH', default: 'key', description: 'HTTP transport: how callers authenticate. `key`: the static `VPSORG_MCP_HTTP_KEY`. `oauth`: OAuth 2.1 access tokens of `VPSORG_OAUTH_ISSUER` for `VPSORG_PUBLIC_URL`, with tools by scope (`dns.read`, `dns.write`, `dns.delete`, `dns.approve`): see docs/team.md.' },
  { name: 'VPSORG_OAUTH_ISSUER', default: '(none)', description: 'With `VPSORG_AUTH=oauth`: the authorization server\'s issuer URL, exactly as its metadata states it. Its metadata (RFC 8414 or OpenID discovery) and signing keys are discovered and cached.' },
  { name: 'VPSORG_OAUTH_AUDIENCE', default: '(VPSORG_PUBLIC_URL)', description: 'With `VPSORG_AUTH=oauth`: the audience (`aud`) a token must carry, when your issuer uses another value than the MCP URL (e.g. an Entra ID application ID URI).' },
  { name: 'VPSORG_OAUTH_CLIENT_ID', default: '(none)', description: 'With `VPSORG_AUTH=oauth`: this server\'s own client at the issuer, for token introspection (RFC 7662) of opaque tokens, and to sign approvers in on the approval page (authorization code + PKCE; redirect URI `<VPSORG_PUBLIC_URL origin>/approve/callback`) when `VPSORG_REQUIRE_DISTINCT_APPROVER` is set. Without a secret it is a public client.' },
  { name: 'VPSORG_OAUTH_CLIENT_SECRET', secret: true, default: '(none)', description: 'The secret of `VPSORG_OAUTH_CLIENT_ID`. Environment only; never logged.' },
  { name: 'VPSORG_OAUTH_ZONES_CLAIM', default: '(none)', description: 'With `VPSORG_AUTH=oauth`: a token claim listing the zones (names or `*.suffix`) its caller may touch, within `VPSORG_ALLOWED_ZONES`. Set, a token without the claim reaches no zone.' },
  { name: 'VPSORG_OAUTH_SUBJECT_CLAIM', default: 'sub', description: 'With `VPSORG_AUTH=oauth`: the token claim that names the person, recorded as the caller\'s subject and compared by `VPSORG_REQUIRE_DISTINCT_APPROVER`. Entra ID: `oid` (its `sub` differs per application; `oid` is unique within a tenant, `tid`, and the issuer names the tenant). A token without the claim has no subject: no one may approve its requests.' },
  { name: 'VPSORG_REQUIRE_DISTINCT_APPROVER', default: '(none)', description: 'Comma list of operations and effects, as `VPSORG_HUMAN_FOR` takes them (e.g. `delete_zone,ns`), whose approval counts only from a second person: on the approval page the approver signs in at `VPSORG_OAUTH_ISSUER` and must hold `dns.approve` and not be the one who asked. Needs `--http`, `VPSORG_AUTH=oauth` and `VPSORG_OAUTH_CLIENT_ID`; anywhere else the server refuses to start. See docs/team.md.' },
  { name: 'VPSORG_OAUTH_APPROVER_SCOPE', default: 'openid dns.approve', description: 'With `VPSORG_REQUIRE_DISTINCT_APPROVER`: the scope an approver\'s sign-in asks for, as your issuer spells it (Entra ID: `openid api://<app>/dns.approve`).' },
  { name: 'VPSORG_STATE_URL', secret: true, default: '(none: one process)', description: 'A PostgreSQL URL (`postgres://user:password@host:5432/db`) for the state replicas share: approvals, used confirmations, change budgets, task cancels, and one change journal (keyed by VPSORG_CONFIRM_SECRET, which must then be set). Unset, they live in this process only. The server creates and migrates its tables itself. See docs/team.md.' },
  { name: 'VPSORG_METRICS_TOKEN', secret: true, default: '(none: no metrics)', description: 'HTTP transport: turns on Prometheus metrics at `/metrics`, served to `Authorization: Bearer <token>` only (16+ characters, not the access key). Tool calls by tool and outcome, gate decisions by effect, VPS.org and DNS latency. See docs/http.md.' },
  { name: 'VPSORG_MCP_TOKEN', secret: true, default: '(none)', description: '`call --server URL`: the bearer token sent to that server (an OAuth access token, e.g. from a client-credentials request, or its static key). Environment only.' },
  { name: 'VPSORG_MCP_ALLOWED_HOSTS', flag: '--allowed-hosts', default: '(loopback names)', description: 'HTTP transport: extra Host/Origin names to accept (needed when binding 0.0.0.0).' },
  { name: 'VPSORG_ALLOW_PRIVATE_NAMESERVERS', default: 'false', description: 'true: check_propagation\'s `nameservers` argument (written by the model) may name private, loopback and link-local addresses and ports other than 53. Off, it may name public unicast addresses on port 53 only (at most 8); the nameservers set in VPSORG_NAMESERVERS are always allowed. --sandbox turns it on; `call` from a shell always allows it (its arguments are the operator\'s own).' },
  { name: 'VPSORG_ALLOW_HTTP_API', default: 'false', description: 'true: accept a plain `http://` VPSORG_API_URL on a host other than loopback (the API token would cross the network unencrypted). Off, such a URL stops the server at start.' },
  { name: 'VPSORG_LOG_LEVEL', default: 'info', description: 'debug, info, warn or error. Logs go to stderr only. debug adds one line per VPS.org API request (`api: GET /api/v1/dns-zones/ -> 200 in 41 ms`: method, path, status, milliseconds; never headers, bodies or the token).' },
];
