import { definePrompt, type ArgProblem, type PromptEnv } from './types.js';
import { choiceArg, domainArg, isHostname, optionalText, printable } from './args.js';
import { RULES, call, deleteStep, propagationStep, steps } from './text.js';
import { MAIL_PROVIDERS, PRESETS, parseMxHosts, type MailPreset, type MailProvider } from './email-providers.js';

const SELECTOR_RE = /^[a-z0-9_-]{1,63}(\.[a-z0-9_-]{1,63})*$/i;
const EMAIL_RE = /^[^\s@"<>]{1,64}@(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z0-9-]{2,63}$/i;

const dkimCheck = (v: string) => printable(4096)(v) ?? (isHostname(v) || /(^|;)\s*p=/.test(v) ? null : 'must be the DKIM TXT value (v=DKIM1; k=rsa; p=...) or, for providers that use CNAMEs, the host name the CNAME points to');

function presetFor(provider: MailProvider, mxHosts: string | undefined, domain: string): MailPreset {
  const custom = mxHosts ? parseMxHosts(mxHosts).hosts : null;
  if (provider === 'custom') {
    return { label: 'your own mail servers', mx: () => custom ?? [], spf: 'mx', selector: null, dkimSource: 'your mail server or provider' };
  }
  const base = PRESETS[provider];
  return custom ? { ...base, mx: () => custom } : { ...base, mx: () => base.mx(domain) };
}

function dkimLine(a: { domain: string; dkim_selector?: string | undefined; dkim_value?: string | undefined }, p: MailPreset): string {
  const selector = a.dkim_selector ?? p.selector;
  if (a.dkim_value !== undefined && selector) {
    const type = isHostname(a.dkim_value) ? 'CNAME' : 'TXT';
    return `DKIM: exactly one ${type} record at ${selector}._domainkey with the value given. Another value there: update_record with match_value. None: ${call('create_record', { zone: a.domain, name: `${selector}._domainkey`, record_type: type, value: a.dkim_value, dry_run: true })}.`;
  }
  if (p.dkimCnames) {
    return `DKIM: ${p.dkimCnames(a.domain).map((c) => `CNAME ${c.name} -> ${c.target}`).join(', ')} (create_record for each that is missing, dry_run: true).`;
  }
  return `DKIM: no key was given. Ask the user for it from ${p.dkimSource}, to publish at ${selector ?? '<selector>'}._domainkey; go ahead with the rest meanwhile.`;
}

function spfLine(domain: string, spf: string): string {
  return [
    `SPF: exactly one TXT record at @ starting with v=spf1, since two make SPF fail for all mail (RFC 7208 4.5).`,
    `None there: ${call('create_record', { zone: domain, name: '@', record_type: 'TXT', value: `v=spf1 ${spf} ~all`, dry_run: true })}.`,
    `One that already has ${spf}: leave it.`,
    `One without it: merge, i.e. insert ${spf} before its all term and keep every other term and the all qualifier, then ${call('update_record', { zone: domain, name: '@', record_type: 'TXT', match_value: '<its current value>', value: '<the merged value>', dry_run: true })}. Never create a second one.`,
    'Several: they are already broken, so merge them into one (update one, delete the others).',
    'Keep the result at 10 or fewer DNS-querying terms (include, a, mx, ptr, exists, redirect).',
  ].join(' ');
}

function verifySteps(env: PromptEnv, domain: string): string[] {
  const out: string[] = [];
  if (env.has('audit_zone')) {
    out.push(`Check the result: ${call('audit_zone', { zone: domain })} must show no spf_duplicate, spf_missing, dmarc_duplicate, dmarc_missing or mx_target_* finding; if it does, show it and propose the fix (dry run first).`);
  }
  out.push(propagationStep(env, { zone: domain, name: '@', record_type: 'MX', wait_seconds: 120 }, 'Check the new records are served (then the same for TXT at @ and at _dmarc)', `${domain} MX`));
  return out;
}

export const setupEmail = definePrompt({
  name: 'setup_email',
  title: 'Set up email for a domain',
  description:
    'Publishes MX, one SPF record (merged into an existing one, never a second), DMARC at _dmarc and DKIM for Google Workspace, Microsoft 365, Fastmail or your own mail servers. Dry-runs every change and ends with a plan for you to approve.',
  args: {
    domain: domainArg,
    provider: choiceArg(MAIL_PROVIDERS).describe('The mail provider: google, microsoft, fastmail, or custom (then give mx_hosts).'),
    mx_hosts: optionalText('the mail servers', (v) => parseMxHosts(v).problem).describe('Mail servers as "priority host" pairs, comma-separated, e.g. "10 mx1.example.net, 20 mx2.example.net". Required for custom; overrides the provider\'s MX otherwise.'),
    dkim_selector: optionalText('the DKIM selector', (v) => (SELECTOR_RE.test(v) ? null : 'must be a DNS label such as google, selector1 or s1 (letters, digits, - and _)')).describe('The DKIM selector (the part before ._domainkey). Default: the provider\'s (google, selector1, fm1).'),
    dkim_value: optionalText('the DKIM key', dkimCheck).describe('The DKIM record value from the provider: the TXT text "v=DKIM1; k=rsa; p=...", or the host name a DKIM CNAME points to.'),
    dmarc_policy: choiceArg(['none', 'quarantine', 'reject'] as const, 'none').describe('DMARC policy: none (default: monitor only), quarantine or reject.'),
    report_email: optionalText('the DMARC report address', (v) => (EMAIL_RE.test(v) ? null : 'must be an email address such as dmarc@example.com')).describe('Where receivers send DMARC aggregate reports (rua), e.g. dmarc@example.com. Optional.'),
  },
  check(a) {
    const problems: ArgProblem[] = [];
    if (a.provider === 'custom' && a.mx_hosts === undefined) problems.push({ field: 'mx_hosts', message: 'is required when provider is custom: give the mail servers, e.g. "10 mx1.example.net, 20 mx2.example.net"' });
    if (a.provider === 'custom' && a.dkim_value !== undefined && a.dkim_selector === undefined) problems.push({ field: 'dkim_selector', message: 'is required with dkim_value when provider is custom (the name before ._domainkey)' });
    return problems;
  },
  requires: ['list_records', 'create_record', 'update_record'],
  build(a, env) {
    const p = presetFor(a.provider, a.mx_hosts, a.domain);
    const mx = p.mx(a.domain);
    const dmarc = `v=DMARC1; p=${a.dmarc_policy}${a.report_email ? `; rua=mailto:${a.report_email}` : ''}`;
    const reportDomain = a.report_email?.split('@')[1]?.toLowerCase();
    const changes = [
      `MX at @ must be exactly ${mx.map((m) => `${m.priority} ${m.host}`).join(', ')}. Missing: ${call('create_record', { zone: a.domain, name: '@', record_type: 'MX', value: mx[0]?.host ?? '', priority: mx[0]?.priority ?? 10, dry_run: true })} (one per host). Right host, other priority: patch_record its priority. MX records of other hosts would keep receiving part of the mail: they must go (ask the user; during a move they may want them a little longer).`,
      spfLine(a.domain, p.spf),
      `DMARC: exactly one TXT record at _dmarc: "${dmarc}". None: ${call('create_record', { zone: a.domain, name: '_dmarc', record_type: 'TXT', value: dmarc, dry_run: true })}. One: update_record it (match_value: its current value), keeping the tags the user relies on (rua, ruf, sp, pct) unless told otherwise. Several: keep one, delete the rest. DMARC at any other name is ignored by receivers.`,
      dkimLine(a, p),
      ...(reportDomain && reportDomain !== a.domain && !reportDomain.endsWith(`.${a.domain}`)
        ? [`The report address is at another domain: ${reportDomain} must publish TXT "v=DMARC1" at ${a.domain}._report._dmarc.${reportDomain} or receivers will not send reports there (RFC 7489 7.1). Tell the user.`]
        : []),
    ];
    const text = [
      `Set up email for ${a.domain} with ${p.label}: MX, one SPF record, DMARC at _dmarc, and DKIM.${p.note ? ` ${p.note}` : ''}`,
      '',
      steps([
        `Read the zone: ${call('list_records', { zone: a.domain })}. Note the MX and TXT records at @, the TXT records at _dmarc, and anything at *._domainkey.`,
        ['Work out the changes:', ...changes],
        deleteStep(env, 'Records to remove (other MX hosts, extra SPF or DMARC records)'),
        'Run every change with dry_run: true and show the user one plan: name, type, old value -> new value, and the diffs. Ask for approval.',
        'Only after the user approves, make the same calls without dry_run: deletes, then updates, then creates. Stop at the first error.',
        ...verifySteps(env, a.domain),
      ]),
      '',
      RULES,
    ].join('\n');
    return [{ role: 'user', text }];
  },
});
