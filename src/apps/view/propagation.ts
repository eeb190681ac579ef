/** check_propagation as a grid: one row per record set, one column per nameserver (status, serial). */
import { arr, badge, el, obj, show, str, table, type Child } from './dom.js';

interface Server {
  host: string;
  address: string;
  port: number;
  status: string;
  values: string[];
  serial: number | null;
  detail: string;
}
interface RecordSet {
  name: string;
  record_type: string;
  expected: string[];
  propagated: boolean;
  servers: Server[];
}

const STATUS: Record<string, ['ok' | 'warn' | 'bad', string]> = { in_sync: ['ok', 'in sync'], pending: ['warn', 'pending'], error: ['bad', 'error'] };

function cell(s: Server | undefined): Child {
  if (!s) return el('span', 'muted', 'not asked');
  const [kind, label] = STATUS[s.status] ?? ['bad', s.status];
  return el(
    'div',
    'cell',
    badge(label, kind),
    el('div', 'small', s.serial === null ? 'serial -' : `serial ${s.serial}`),
    el('div', 'small mono', s.values.length ? s.values.join(', ') : s.status === 'error' ? s.detail : 'no records'),
  );
}

export function renderPropagation(data: Record<string, unknown>): void {
  const sets = [obj(data['result']), ...arr(data['sets'])].filter((s) => typeof s['name'] === 'string') as unknown as RecordSet[];
  const hosts = [...new Set(sets.flatMap((s) => arr<Server>(s.servers).map((v) => `${v.host} ${v.address}:${v.port}`)))];
  const key = (v: Server) => `${v.host} ${v.address}:${v.port}`;
  const rows = sets.map((s) => [el('span', 'mono', `${s.name} ${s.record_type}`), ...hosts.map((h) => cell(arr<Server>(s.servers).find((v) => key(v) === h)))]);
  const propagated = data['propagated'] === true;
  const inSync = typeof data['sets_in_sync'] === 'number' ? `${data['sets_in_sync']} of ${str(data['total_sets'])} record sets in sync; the grid lists the others.` : '';
  const unresolved = arr(data['unresolved']).map((u) => `${str(u['host'])}: ${str(u['error'])}`);
  show(
    el('h1', '', 'Propagation of ', el('span', 'mono', str(data['zone']))),
    el('p', '', propagated ? badge('propagated', 'ok') : badge('not propagated yet', 'warn'), ' ', data['serials_agree'] === true ? badge('serials agree', 'ok') : badge('serials differ', 'warn')),
    inSync && el('p', 'muted', inSync),
    sets.length ? table(['Record set', ...hosts], rows, 'grid') : el('p', '', 'Every record set is in sync on every nameserver.'),
    unresolved.length > 0 && el('div', '', el('h2', '', 'Not checked (no address)'), el('ul', '', ...unresolved.map((u) => el('li', 'mono', u)))),
  );
}
