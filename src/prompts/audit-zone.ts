import { definePrompt } from './types.js';
import { domainArg } from './args.js';
import { RULES, call, steps } from './text.js';

export const auditZonePrompt = definePrompt({
  name: 'audit_zone',
  title: 'Audit a DNS zone',
  description:
    'Checks a zone for dangling CNAMEs, mail records that do not work (MX targets, SPF, DMARC), missing CAA, TTL outliers and private addresses, explains each finding, and proposes fixes you can approve one by one.',
  args: { domain: domainArg },
  requires: ['audit_zone'],
  build(a) {
    const text = [
      `Audit the DNS zone ${a.domain} and help the user fix what matters.`,
      '',
      steps([
        `Run ${call('audit_zone', { zone: a.domain })}. It changes nothing.`,
        [
          'Report the result: the counts by severity first, then every error and warning with the records concerned, what it breaks in practice, and the fix; the info findings in one short list.',
          'Say what could not be checked (not_checked: targets outside the zone are not resolved).',
          'If there are no errors or warnings, say so plainly and stop there.',
        ],
        'Ask which fixes the user wants. Change nothing they did not pick.',
        'For each fix picked: the exact record tool call with dry_run: true (update_record, create_record, update_ttl, or delete_record, which asks for confirmation), show the diff, and apply it only after the user approves.',
        `After the fixes, run ${call('audit_zone', { zone: a.domain })} again and show what is left.`,
      ]),
      '',
      RULES,
    ].join('\n');
    return [{ role: 'user', text }];
  },
});
