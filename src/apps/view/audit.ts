/** audit_zone as a report: counts by severity, then each kind of finding with its examples and fix. */
import { arr, badge, el, obj, show, str, table } from './dom.js';

const KIND = { error: 'bad', warning: 'warn', info: 'info' } as const;
const kindOf = (sev: unknown) => KIND[str(sev) as keyof typeof KIND] ?? 'info';

export function renderAudit(data: Record<string, unknown>): void {
  const zone = obj(data['zone']);
  const counts = obj(data['counts']);
  const groups = arr(data['findings']);
  const notChecked = arr(data['not_checked']);
  const more = obj(data['page'])['omitted'];
  show(
    el('h1', '', 'Audit of ', el('span', 'mono', str(zone['domain']))),
    el('p', '', `${str(data['record_count'])} records: `, badge(`${str(counts['error'])} errors`, 'bad'), ' ', badge(`${str(counts['warning'])} warnings`, 'warn'), ' ', badge(`${str(counts['info'])} notes`, 'info')),
    groups.length
      ? table(
          ['Severity', 'Finding', 'Where', 'Fix'],
          groups.flatMap((g) =>
            arr(g['examples']).map((e, i) => [
              i === 0 ? badge(str(g['severity']), kindOf(g['severity'])) : '',
              el('div', '', el('div', 'mono', i === 0 ? `${str(g['code'])} (${str(g['count'])})` : ''), str(e['message'])),
              el('div', 'mono', str(e['name']), ...arr(e['records']).map((r) => el('div', 'small', `${str(r['record_type'])} ${str(r['value'])}`))),
              str(e['fix']),
            ]),
          ),
          'findings',
        )
      : el('p', '', badge('no findings', 'ok')),
    typeof more === 'number' && more > 0 && el('p', 'muted', `${more} more kinds of finding: ask for them by code.`),
    notChecked.length > 0 && el('div', '', el('h2', '', 'Not checked'), el('ul', '', ...notChecked.map((n) => el('li', '', `${str(n['check'])}: ${str(n['reason'])} (${str(n['count'])})`)))),
  );
}
