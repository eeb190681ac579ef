import { definePrompt } from './types.js';
import { domainArg } from './args.js';
import { RULES, call, steps } from './text.js';

export const auditZonePrompt = definePrompt({
  name: 'audit_zone',
  title: 'Audit a DNS zone',
  description:
    'Checks a zone and what it points at (live lookups at the authoritative servers): dangling CNAMEs and takeover risks, mail records that do not work, delegations and DS, missing CAA, TTL outliers, private addresses; explains each finding and proposes its fix for you to approve one by one.',
  args: { domain: domainArg },
  requires: ['audit_zone'],
  build(a) {
    const text = [
      `Audit the DNS zone ${a.domain} and help the user fix what matters.`,
      '',
      steps([
        `Run ${call('audit_zone', { zone: a.domain, live: true })}. It changes nothing; it looks up the zone's outside targets, delegations and DS at their authoritative servers.`,
        [
          'Report the result: the counts by severity first, then every error and warning with the records concerned, what it breaks in practice (a takeover risk first), its confidence where given, and the fix; the info findings in one short list.',
          'Say what could not be checked (not_checked, e.g. when the lookup budget ran out).',
          'If there are no errors or warnings, say so plainly and stop there.',
        ],
        'Ask which fixes the user wants. Change nothing they did not pick.',
        "For each fix picked: make the finding's fix_call exactly as given (it is a dry run), show the diff, state any trade-off it carries, and apply it (the same call without dry_run, confirming when asked) only after the user approves. Fix calls are computed on the zone as audited: after applying one, run audit_zone again before the next. A fix_call that is an instruction needs the user's judgment or lies outside VPS.org (e.g. at the registrar): say so plainly.",
        `After the fixes, run ${call('audit_zone', { zone: a.domain, live: true })} again and show what is left.`,
      ]),
      '',
      RULES,
    ].join('\n');
    return [{ role: 'user', text }];
  },
});
