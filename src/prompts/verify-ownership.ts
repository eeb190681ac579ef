import { definePrompt } from './types.js';
import { domainArg, printable, text } from './args.js';
import { RULES, call, propagationStep, steps } from './text.js';
import { fqdn, isInZone, nameSyntaxProblems, normaliseName } from '../domain/names.js';

const nameCheck = (v: string) => {
  const dotted = v.replace(/\.$/, '');
  if (v === '@') return null;
  const problems = nameSyntaxProblems(dotted, { wildcard: false });
  return problems[0] ? `${problems[0].message} (give "@" for the apex, or a name such as _acme-challenge)` : null;
};

export const verifyDomainOwnership = definePrompt({
  name: 'verify_domain_ownership',
  title: 'Prove domain ownership with a TXT record',
  description:
    'Publishes the TXT token a service (Google, Microsoft, an ACME/Let\'s Encrypt DNS-01 challenge, ...) asks for at the name it names, then waits until the provider\'s nameservers serve it. Dry run and your approval come before the write.',
  args: {
    domain: domainArg,
    name: text('the record name the service asks for', nameCheck).describe('Where the service wants the TXT record: "@" for the domain itself, or a name such as _acme-challenge or _github-challenge-org (relative to the domain, or fully qualified).'),
    token: text('the verification value', printable(2048)).describe('The exact TXT value the service shows, e.g. google-site-verification=abc123 (copy it whole).'),
  },
  check(a) {
    const rel = normaliseName(a.name, a.domain);
    return isInZone(rel, a.domain) ? [] : [{ field: 'name', message: `${a.name} is not inside ${a.domain}: give a name relative to the domain (e.g. _acme-challenge) or one ending in .${a.domain}` }];
  },
  requires: ['list_records', 'create_record'],
  build(a, env) {
    const name = normaliseName(a.name, a.domain);
    const full = fqdn(name, a.domain).replace(/\.$/, '');
    const record = { zone: a.domain, name, record_type: 'TXT', value: a.token };
    const text = [
      `Prove ownership of ${a.domain}: publish a TXT record at ${full} holding the token the service gave, then wait until it is served.`,
      '',
      steps([
        [
          `Read what is there: ${call('list_records', { zone: a.domain, name, record_type: 'TXT' })}.`,
          'If a TXT record with exactly this token exists, skip to the propagation check.',
          `Other TXT records at ${name} stay: several TXT records may share a name${name === '@' ? ' (at @ that includes the SPF record: never change or remove it for this job)' : ''}. Old tokens can be removed later, if the user wants.`,
          `If ${name} holds a CNAME, a TXT record cannot be added there: tell the user (the service may expect the TXT at the CNAME's target instead).`,
        ],
        `Dry run: ${call('create_record', { ...record, ttl: 300, dry_run: true })}. Show the diff and ask the user to approve.`,
        `Only after the user approves: ${call('create_record', { ...record, ttl: 300 })}.`,
        propagationStep(env, { zone: a.domain, name, record_type: 'TXT', wait_seconds: 120 }, 'Wait until every nameserver serves it', `${full} TXT`),
        'When it is served everywhere, tell the user to press Verify in the service. If the service looked the name up before the record existed, its resolver may remember "no such record" for up to the zone\'s negative-caching TTL: wait that long before retrying.',
        'Afterwards: keep the record if the service re-checks it (most site verifications do); an ACME challenge token can be deleted once the certificate is issued.',
      ]),
      '',
      RULES,
    ].join('\n');
    return [{ role: 'user', text }];
  },
});
