import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { ALL_TOOLS } from '../../src/tools/index.js';

let emu: Emulator;
let h: Harness;

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo' });
  h = await startHarness({ emu });
});
afterAll(async () => {
  await h.close();
  await emu.close();
});

const ZONE_FILE = [
  '$ORIGIN move.test.',
  '$TTL 3600',
  '@ IN SOA ns1.old-host.example. hostmaster.move.test. ( 1 7200 3600 1209600 300 )',
  '@ IN A 203.0.113.20',
  'www IN CNAME move.test.',
  '@ IN MX 10 mail.move.test.',
  'mail IN A 203.0.113.21',
  '; a comment that says ZONE_FILE, so the fence must change',
  '@ IN TXT "v=spf1 mx -all"',
  '',
].join('\n');

const CASES: Array<[string, string, Record<string, string>]> = [
  ['point-ipv4', 'point_domain_to_server', { domain: 'example.com', ipv4: '203.0.113.10' }],
  ['point-both-apex-only', 'point_domain_to_server', { domain: 'Example.com.', ipv4: '203.0.113.10', ipv6: '2001:DB8:0:0::10', include_www: 'false' }],
  ['email-google', 'setup_email', { domain: 'example.com', provider: 'google', dmarc_policy: 'quarantine', report_email: 'dmarc@reports.example.net' }],
  ['email-microsoft', 'setup_email', { domain: 'example.com', provider: 'Microsoft' }],
  ['email-fastmail', 'setup_email', { domain: 'example.com', provider: 'fastmail', dmarc_policy: 'reject', report_email: 'dmarc@example.com' }],
  ['email-custom', 'setup_email', { domain: 'example.com', provider: 'custom', mx_hosts: '10 mx1.example.net, 20 mx2.example.net', dkim_selector: 's1', dkim_value: 'v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC' }],
  ['verify-apex', 'verify_domain_ownership', { domain: 'example.com', name: '@', token: 'google-site-verification=abc123' }],
  ['verify-acme', 'verify_domain_ownership', { domain: 'example.com', name: '_acme-challenge.example.com.', token: 'gfj9Xq...Rg85nM' }],
  ['migrate', 'migrate_zone_from_file', { domain: 'move.test', zone_file: ZONE_FILE }],
  ['audit', 'audit_zone', { domain: 'example.com' }],
];

async function promptText(c: Harness, name: string, args: Record<string, string>): Promise<string> {
  const r = await c.client.getPrompt({ name, arguments: args });
  return r.messages.map((m) => (m.content as { text: string }).text).join('\n\n');
}

/** Every `tool` {json} call a prompt tells the model to make, in order. */
function callsIn(text: string): Array<{ tool: string; args: Record<string, unknown> }> {
  const out: Array<{ tool: string; args: Record<string, unknown> }> = [];
  for (const m of text.matchAll(/`([a-z_]+)` \{/g)) {
    const start = (m.index ?? 0) + m[0].length - 1;
    let depth = 0;
    let inString = false;
    let end = -1;
    for (let i = start; i < text.length && end < 0; i++) {
      const ch = text[i];
      if (inString) {
        if (ch === '\\') i++;
        else if (ch === '"') inString = false;
      } else if (ch === '"') inString = true;
      else if (ch === '{') depth++;
      else if (ch === '}' && --depth === 0) end = i;
    }
    out.push({ tool: m[1] as string, args: JSON.parse(text.slice(start, end + 1)) as Record<string, unknown> });
  }
  return out;
}

/** Fills the placeholders a prompt leaves for the model with plausible values. */
function filled(args: Record<string, unknown>, zoneFile: string): Record<string, unknown> {
  const fill: Record<string, unknown> = {
    '<name>': '@',
    '<its current value>': 'v=spf1 -all',
    '<the merged value>': 'v=spf1 include:_spf.google.com -all',
    '<the zone file below, verbatim>': zoneFile,
    '<the records returned by import_zone_file, minus any the user left out>': [],
  };
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, typeof v === 'string' && v in fill ? fill[v] : v]));
}

describe('prompts/list', () => {
  it('offers the five jobs with typed, described arguments', async () => {
    const { prompts } = await h.client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['point_domain_to_server', 'setup_email', 'verify_domain_ownership', 'migrate_zone_from_file', 'audit_zone']);
    for (const p of prompts) {
      expect(p.title && p.description, p.name).toBeTruthy();
      for (const a of p.arguments ?? []) expect(a.description, `${p.name}.${a.name}`).toBeTruthy();
    }
    const email = prompts.find((p) => p.name === 'setup_email');
    expect(email?.arguments?.filter((a) => a.required).map((a) => a.name)).toEqual(['domain', 'provider']);
  });

  it('completes the domain argument from the zone list', async () => {
    const r = await h.client.complete({ ref: { type: 'ref/prompt', name: 'setup_email' }, argument: { name: 'domain', value: 'exa' } });
    expect(r.completion.values).toEqual(['example.com']);
  });
});

describe('prompt messages', () => {
  it.each(CASES)('%s matches its reviewed snapshot', async (file, name, args) => {
    const text = await promptText(h, name, args);
    await expect(`# ${name} ${JSON.stringify(args)}\n\n${text}\n`).toMatchFileSnapshot(`./__snapshots__/prompts/${file}.md`);
  });

  it.each(CASES)('%s: every tool call it names exists, with valid arguments; writes are dry-run first; nothing is written', async (_file, name, args) => {
    const text = await promptText(h, name, args);
    const calls = callsIn(text);
    expect(calls.length).toBeGreaterThan(0);
    const seenDry = new Set<string>();
    for (const { tool, args: a } of calls) {
      const def = ALL_TOOLS.find((t) => t.name === tool);
      expect(def, tool).toBeDefined();
      const parsed = def?.input.safeParse(filled(a, args['zone_file'] ?? ''));
      expect(parsed?.success, `${tool} ${JSON.stringify(a)}: ${parsed?.error?.message}`).toBe(true);
      const key = `${tool}|${JSON.stringify({ ...a, dry_run: undefined, ttl: undefined })}`;
      if (a['dry_run'] === true) seenDry.add(key);
      else if (def && !def.hints.readOnlyHint) expect(seenDry.has(key), `${tool} named without a dry run before it`).toBe(true);
    }
    expect(text).toMatch(/approv/);
  });

  it('keeps user data fenced: the zone file cannot close its own block', async () => {
    const text = await promptText(h, 'migrate_zone_from_file', { domain: 'move.test', zone_file: ZONE_FILE });
    expect(text).toContain('<<<ZONE_FILE1\n$ORIGIN move.test.');
    expect(text.trimEnd().endsWith('>>>ZONE_FILE1')).toBe(true);
  });
});

describe('prompt argument validation', () => {
  const fails = async (name: string, args: Record<string, string>) => {
    const err = await h.client.getPrompt({ name, arguments: args }).catch((e: unknown) => e);
    expect(err, JSON.stringify(args)).toMatchObject({ code: -32602 });
    return String((err as Error).message);
  };

  it.each([
    ['point_domain_to_server', {}, /domain: is required: the domain of the zone/],
    ['point_domain_to_server', { domain: 'https://example.com/x', ipv4: '203.0.113.1' }, /domain: "https:\/\/example.com\/x" is not a domain name/],
    ['point_domain_to_server', { domain: 'example.com' }, /ipv4: give the server's address: ipv4, ipv6 or both/],
    ['point_domain_to_server', { domain: 'example.com', ipv4: '203.0.113.010' }, /ipv4: "203.0.113.010" is not an IPv4 address/],
    ['point_domain_to_server', { domain: 'example.com', ipv6: '2001:db8::g' }, /ipv6: "2001:db8::g" is not an IPv6 address/],
    ['point_domain_to_server', { domain: 'example.com', ipv4: '203.0.113.1', include_www: 'maybe' }, /include_www: must be true or false/],
    ['point_domain_to_server', { domain: 'example.com', ip4: '203.0.113.1' }, /Unrecognized key: "ip4"/],
    ['setup_email', { domain: 'example.com' }, /provider: is required: one of google, microsoft, fastmail, custom/],
    ['setup_email', { domain: 'example.com', provider: 'yahoo' }, /provider: must be one of google, microsoft, fastmail, custom \(got "yahoo"\)/],
    ['setup_email', { domain: 'example.com', provider: 'custom' }, /mx_hosts: is required when provider is custom/],
    ['setup_email', { domain: 'example.com', provider: 'custom', mx_hosts: '10 not a host' }, /mx_hosts: .*is not "priority host"/],
    ['setup_email', { domain: 'example.com', provider: 'custom', mx_hosts: 'mx.example.net', dkim_value: 'v=DKIM1; p=abc' }, /dkim_selector: is required with dkim_value/],
    ['setup_email', { domain: 'example.com', provider: 'google', dmarc_policy: 'strict' }, /dmarc_policy: must be one of none, quarantine, reject/],
    ['setup_email', { domain: 'example.com', provider: 'google', dkim_value: 'hello world' }, /dkim_value: must be the DKIM TXT value/],
    ['setup_email', { domain: 'example.com', provider: 'google', report_email: 'not-an-address' }, /report_email: must be an email address/],
    ['verify_domain_ownership', { domain: 'example.com', name: '_acme-challenge.other.org.', token: 'x' }, /name: _acme-challenge.other.org. is not inside example.com/],
    ['verify_domain_ownership', { domain: 'example.com', name: 'bad name', token: 'x' }, /name: label "bad name" may hold only/],
    ['verify_domain_ownership', { domain: 'example.com', name: '@', token: 'line\nbreak' }, /token: may hold printable ASCII characters only/],
    ['verify_domain_ownership', { domain: 'example.com', name: '@', token: '' }, /token: is required: the verification value/],
    ['migrate_zone_from_file', { domain: 'example.com' }, /zone_file: is required: the zone file text/],
  ] as const)('%s %j is refused clearly', async (name, args, message) => {
    const text = await fails(name, args);
    expect(text).toMatch(new RegExp(`Invalid arguments for prompt ${name}`));
    expect(text).toMatch(message);
  });

  it('reports every bad field at once', async () => {
    const text = await fails('point_domain_to_server', { domain: 'bad domain', ipv4: '999.1.1.1', include_www: 'perhaps' });
    expect(text).toMatch(/domain: .*ipv4: .*include_www: /);
  });
});

describe('prompts adapt to the tools this configuration registers', () => {
  it('read-only mode offers only the audit (no prompt may lead to a write tool that is not there)', async () => {
    const ro = await startHarness({ emu, env: { VPSORG_READ_ONLY: 'true' } });
    try {
      expect((await ro.client.listPrompts()).prompts.map((p) => p.name)).toEqual(['audit_zone']);
    } finally {
      await ro.close();
    }
  });

  it('without the propagation and audit toolsets, the steps say what to do instead', async () => {
    const sets = await startHarness({ emu, env: { VPSORG_TOOLSETS: 'zones,records' } });
    try {
      expect((await sets.client.listPrompts()).prompts.map((p) => p.name)).toEqual(['point_domain_to_server', 'setup_email', 'verify_domain_ownership']);
      const verify = await promptText(sets, 'verify_domain_ownership', { domain: 'example.com', name: '_acme-challenge', token: 't' });
      expect(verify).not.toContain('`check_propagation`');
      expect(verify).toContain('dig +norecurse @ns1.vps.org _acme-challenge.example.com TXT');
      const email = await promptText(sets, 'setup_email', { domain: 'example.com', provider: 'google' });
      expect(email).not.toContain('audit_zone');
    } finally {
      await sets.close();
    }
  });
});
