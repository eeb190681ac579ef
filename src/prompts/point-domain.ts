import { definePrompt } from './types.js';
import { boolArg, domainArg, ipv4Check, ipv6Check, optionalText } from './args.js';
import { RULES, call, deleteStep, propagationStep, steps } from './text.js';
import { canonicalIPv6 } from '../domain/ip.js';

export const pointDomainToServer = definePrompt({
  name: 'point_domain_to_server',
  title: 'Point a domain at a server',
  description:
    'Makes the apex (and www) of a domain answer with a server\'s IPv4 and/or IPv6 address, replacing the addresses there now. Reads the zone, dry-runs every change, and ends with a plan for you to approve before anything is written.',
  args: {
    domain: domainArg,
    ipv4: optionalText('the IPv4 address of the server', ipv4Check).describe('The server\'s IPv4 address, e.g. 203.0.113.10 (A records). Give ipv4, ipv6 or both.'),
    ipv6: optionalText('the IPv6 address of the server', ipv6Check).describe('The server\'s IPv6 address, e.g. 2001:db8::10 (AAAA records). Give ipv4, ipv6 or both.'),
    include_www: boolArg(true).describe('true (default): point www at the server too. false: only the apex.'),
  },
  check: (a) => (a.ipv4 === undefined && a.ipv6 === undefined ? [{ field: 'ipv4', message: 'give the server\'s address: ipv4, ipv6 or both' }] : []),
  requires: ['get_zone', 'create_record', 'update_record'],
  build(a, env) {
    const names = a.include_www ? ['@', 'www'] : ['@'];
    const ipv6 = a.ipv6 === undefined ? undefined : (canonicalIPv6(a.ipv6) ?? a.ipv6);
    const targets: Array<[string, string]> = [...(a.ipv4 ? [['A', a.ipv4] as [string, string]] : []), ...(ipv6 ? [['AAAA', ipv6] as [string, string]] : [])];
    const wanted = targets.map(([t, v]) => `${t} ${v}`).join(' and ');
    const absent = a.ipv4 === undefined ? { family: 'IPv4', type: 'A' } : a.ipv6 === undefined ? { family: 'IPv6', type: 'AAAA' } : null;
    const [firstType = 'A'] = targets[0] ?? [];
    const plan = [
      ...targets.map(
        ([type, value]) =>
          `${type}: the ${type} set at each name must become exactly ${value}. One ${type} record there: ${call('update_record', { zone: a.domain, name: '<name>', record_type: type, value, dry_run: true })}. None: ${call('create_record', { zone: a.domain, name: '<name>', record_type: type, value, dry_run: true })}. Several: update one of them (add match_value: its current value) and delete the others.`,
      ),
      ...(absent
        ? [`No ${absent.family} address was given. ${absent.type} records at these names still point at the old server, and ${absent.family} visitors would keep going there: ask the user whether to delete them or to give the new ${absent.family} address.`]
        : []),
      ...(a.include_www
        ? [`www: a CNAME to ${a.domain} (the apex) stays as it is: it follows the apex and needs no address of its own. A CNAME to anything else must go before www can hold addresses (a CNAME cannot share its name with other records).`]
        : []),
    ];
    const where = names.map((n) => (n === '@' ? `the apex (${a.domain})` : `www.${a.domain}`)).join(' and ');
    const text = [
      `Point ${a.domain} at the server: ${where} should answer with exactly ${wanted}, replacing the addresses there now.`,
      '',
      steps([
        `Read the zone: ${call('get_zone', { zone: a.domain })}. Note every A, AAAA and CNAME record at ${names.join(' and ')}.`,
        [`Work out the changes at ${names.join(' and ')}:`, ...plan],
        deleteStep(env, `Records to remove (old addresses${a.include_www ? ', a conflicting www CNAME' : ''})`),
        'Run every change with dry_run: true and show the user one plan: name, type, old value -> new value, and the diffs. Ask for approval.',
        'Only after the user approves, make the same calls without dry_run, in this order: deletes, then updates, then creates. Stop at the first error.',
        propagationStep(env, { zone: a.domain, name: '@', record_type: firstType, wait_seconds: 120 }, 'Check that every changed name and type is served (one call each)', `${a.domain} ${firstType}`),
        'Tell the user what changed, and that some visitors may reach the old server until the old records\' TTL has run out.',
      ]),
      '',
      RULES,
    ].join('\n');
    return [{ role: 'user', text }];
  },
});
