/**
 * A write's plan (apply_zone, plan_zone, import_zone_file, undo_change, deletes, record writes):
 * the per-record diff (old -> new), risk badges (deletes, apex NS, blast radius), the audit
 * findings the change would add and, when the server holds the change for the person, an Approve
 * button that calls the app-only approve_plan tool with the approval the server signed. The data
 * is the server's own: the gate's approval view (result _meta) when it awaits approval, else the
 * tool's structured result.
 */
import type { App } from '@modelcontextprotocol/ext-apps';
import { arr, badge, el, obj, show, str, table, type Child } from './dom.js';

/** Where the gate puts the approval and its view (src/safety/gate-types.ts APP_APPROVAL_META_KEY). */
const APPROVAL_KEY = 'vpsorg-dns-mcp/approval';

type Kind = 'ok' | 'warn' | 'bad' | 'info';
interface Rec {
  value: string;
  ttl: unknown;
  priority?: unknown;
}
interface Row {
  action: string;
  name: string;
  type: string;
  before?: Rec | undefined;
  after?: Rec | undefined;
  callouts: string[];
}
interface Plan {
  zone: string;
  action: string;
  rows: Row[];
  more: number;
  deletes: number;
  apexNs: boolean;
  fraction: number | null;
  blast: boolean;
  reasons: string[];
  findings: Array<Record<string, unknown>>;
  snapshot: string;
}

const rec = (r: unknown): Rec | undefined => {
  const o = obj(r);
  return typeof o['value'] === 'string' ? { value: o['value'], ttl: o['ttl'], priority: o['priority'] } : undefined;
};

/** From the gate's approval view (src/safety/approval-view.ts). */
function fromView(v: Record<string, unknown>): Plan {
  const risk = obj(v['risk']);
  const changes = arr(v['changes']);
  return {
    zone: str(v['zone']),
    action: str(v['action']),
    rows: changes.map((c) => {
      const to = obj(c['to']);
      return { action: str(c['action']), name: `${str(c['name'])}${to['name'] !== undefined ? ` -> ${str(to['name'])} ${str(to['type'])}` : ''}`, type: str(c['type']), before: rec(c['before']), after: rec(c['after']), callouts: arr<string>(c['callouts']).map(str) };
    }),
    more: Math.max(0, Number(v['total']) - changes.length || 0),
    deletes: Number(risk['deletes']) || 0,
    apexNs: risk['touchesApexNs'] === true,
    fraction: typeof risk['changedFraction'] === 'number' ? risk['changedFraction'] : null,
    blast: arr<string>(risk['codes']).includes('blast_radius'),
    reasons: arr<string>(risk['reasons']).map(str),
    findings: arr(v['findings']),
    snapshot: str(obj(v['snapshot'])['text']),
  };
}

/** From a tool's structured result (changes as the output schemas give them: before/after records). */
function fromResult(s: Record<string, unknown>): Plan {
  const risk = obj(s['risk']);
  const counts = obj(s['counts']);
  const changes = arr(s['changes']);
  const rows: Row[] = changes.map((c) => {
    const before = obj(c['before']);
    const after = obj(c['after']);
    const r = c['action'] === 'create' ? after : before;
    const moved = c['action'] === 'update' && (before['name'] !== after['name'] || before['record_type'] !== after['record_type']) ? ` -> ${str(after['name'])} ${str(after['record_type'])}` : '';
    return { action: str(c['action']), name: `${str(r['name'])}${moved}`, type: str(r['record_type']), before: rec(c['before']), after: rec(c['after']), callouts: [] };
  });
  const omitted = obj(s['changes_page'])['omitted'];
  return {
    zone: str(obj(s['zone'])['domain']),
    action: '',
    rows,
    more: typeof omitted === 'number' ? omitted : 0,
    deletes: typeof counts['deletes'] === 'number' ? counts['deletes'] : rows.filter((r) => r.action === 'delete').length,
    apexNs: risk['touches_apex_ns'] === true || rows.some((r) => r.type === 'NS' && r.name === '@'),
    fraction: typeof risk['changed_fraction'] === 'number' ? risk['changed_fraction'] : null,
    blast: arr<string>(risk['reasons']).some((r) => /over the \d+% limit/.test(str(r))),
    reasons: arr<string>(risk['reasons']).map(str),
    findings: arr(s['warnings']),
    snapshot: '',
  };
}

const valueOf = (r: Rec | undefined) => (r ? `${r.priority !== null && r.priority !== undefined ? `${str(r.priority)} ` : ''}${r.value} (ttl ${str(r.ttl)})` : '');
const ACTION: Record<string, [string, Kind]> = { create: ['add', 'ok'], update: ['change', 'warn'], delete: ['delete', 'bad'] };

function rowCells(r: Row): Child[] {
  const [label, kind] = ACTION[r.action] ?? [r.action, 'info'];
  const change =
    r.action === 'create'
      ? el('span', 'mono', valueOf(r.after))
      : r.action === 'delete'
        ? el('span', 'mono old', valueOf(r.before))
        : el('span', 'mono', el('span', 'old', valueOf(r.before)), ' -> ', valueOf(r.after));
  return [badge(label, kind), el('span', 'mono', r.name), r.type, el('div', '', change, ...r.callouts.map((c) => el('div', 'small callout', c)))];
}

function risks(p: Plan): Child {
  const badges = [
    p.deletes > 0 ? badge(`${p.deletes} delete${p.deletes === 1 ? '' : 's'}`, 'bad') : badge('no deletes', 'ok'),
    p.apexNs ? badge('apex NS: who answers for the domain', 'bad') : null,
    p.fraction !== null ? badge(`blast radius ${Math.round(p.fraction * 100)}% of the zone`, p.blast ? 'bad' : 'info') : null,
  ].filter((b): b is HTMLElement => b !== null);
  return el('div', '', el('p', '', ...badges.flatMap((b) => [b, ' '])), p.reasons.length > 0 && el('ul', '', ...p.reasons.map((r) => el('li', '', r))));
}

function findings(p: Plan): Child {
  if (!p.findings.length) return null;
  return el(
    'div',
    '',
    el('h2', '', 'New audit findings this change would add'),
    table(
      ['Severity', 'Finding', 'Where', 'Fix'],
      p.findings.map((w) => [badge(str(w['severity']), w['severity'] === 'error' ? 'bad' : 'warn'), el('div', '', el('div', 'mono', `${str(w['code'])} (${str(w['count'])})`), str(w['message'])), el('span', 'mono', arr<string>(w['names']).map(str).join(', ')), str(w['fix'])]),
    ),
  );
}

const STATUS: Record<string, [string, Kind]> = {
  awaiting_approval: ['waiting for your approval', 'warn'],
  required: ['waiting for confirmation', 'warn'],
  dry_run: ['dry run: nothing changed', 'info'],
  declined: ['declined: nothing changed', 'info'],
  cancelled: ['cancelled: nothing changed', 'info'],
  expired: ['expired: nothing changed', 'info'],
  confirmed_by_token: ['applied', 'ok'],
  confirmed_by_user: ['applied', 'ok'],
  not_permitted: ['not permitted: nothing changed', 'bad'],
};

let toolArgs: Record<string, unknown> | undefined;
/** The tool's arguments as the host sent them (ui/notifications/tool-input): approve_plan plans again with them. */
export function setPlanInput(args: Record<string, unknown> | undefined): void {
  toolArgs = args;
}

type ToolResult = Awaited<ReturnType<App['callServerTool']>>;

const resultText = (res: ToolResult) => (res.content ?? []).map((c) => (c.type === 'text' ? c.text : '')).join('\n');

/** A button that calls one server tool once (it disables itself), shows `busy` meanwhile, and hands the answer to `done`. */
function toolButton(id: string, label: string, note: string, busy: string, call: () => Promise<ToolResult>, done: (res: ToolResult, status: HTMLElement) => void): Child {
  const status = el('div', 'muted', note);
  const button = el('button', 'primary', label);
  button.id = id;
  button.addEventListener('click', () => {
    button.disabled = true;
    status.textContent = busy;
    call()
      .then((res) => done(res, status))
      .catch((err: unknown) => status.replaceChildren(badge('failed', 'bad'), el('pre', 'error', err instanceof Error ? err.message : String(err))));
  });
  return el('div', 'actions', button, status);
}

function approveBox(app: App, approval: Record<string, unknown>): Child {
  return toolButton(
    'approve',
    'Approve',
    `Approve to apply exactly this change, if the zone is still as shown (until ${str(approval['expires_at'])}).`,
    'Applying...',
    () => app.callServerTool({ name: 'approve_plan', arguments: { tool: str(approval['tool']), arguments: JSON.stringify(toolArgs ?? {}), approval: str(approval['approval']) } }),
    (res, status) => status.replaceChildren(res.isError ? badge('refused', 'bad') : badge('approved and applied', 'ok'), el('pre', res.isError ? 'error' : 'small', resultText(res).split('\n')[0] ?? '')),
  );
}

/**
 * A read-only plan (plan_zone, import_zone_file) as apply_zone's arguments, when the result holds
 * the whole plan (an import cut into parts is applied part by part, by the assistant).
 */
function applyArgs(s: Record<string, unknown>): Record<string, unknown> | null {
  if (s['applied'] !== undefined || s['confirmation'] !== undefined || !arr(s['changes']).length) return null;
  const zone = str(obj(s['zone'])['uuid']);
  const mode = str(s['mode']);
  if (Array.isArray(s['records'])) return Number(obj(s['records_page'])['omitted']) > 0 ? null : { zone, records: s['records'], mode };
  return Array.isArray(toolArgs?.['records']) ? { zone, records: toolArgs['records'], mode } : null;
}

/** Apply from a read-only plan: apply_zone, whose held changes come back with the Approve button. */
function applyBox(app: App, args: Record<string, unknown>): Child {
  return toolButton(
    'apply',
    'Apply...',
    'Apply this plan with apply_zone: a change that needs approval is shown again with an Approve button first.',
    'Planning against the live zone...',
    () => app.callServerTool({ name: 'apply_zone', arguments: args }),
    (res, status) => {
      if (res.isError || !res.structuredContent) return void status.replaceChildren(badge('refused', 'bad'), el('pre', 'error', resultText(res)));
      setPlanInput(args);
      renderPlan(res.structuredContent as Record<string, unknown>, app, (res._meta ?? {}) as Record<string, unknown>);
    },
  );
}

function applyBoxFor(app: App, s: Record<string, unknown>): Child {
  const args = applyArgs(s);
  return args && applyBox(app, args);
}

export function renderPlan(s: Record<string, unknown>, app: App, meta: Record<string, unknown> = {}): void {
  const approval = obj(meta[APPROVAL_KEY]);
  const p = approval['view'] ? fromView(obj(approval['view'])) : fromResult(s);
  const confirmation = str(s['confirmation']) || (s['applied'] === true ? 'confirmed_by_user' : s['dry_run'] === true ? 'dry_run' : '');
  const [label, kind] = STATUS[confirmation] ?? ['preview: nothing changed', 'info'];
  show(
    el('h1', '', 'Plan for ', el('span', 'mono', p.zone)),
    p.action && el('p', '', p.action),
    el('p', '', badge(label, kind)),
    risks(p),
    // A view with no record rows says what it does in its action (create_zone, an empty zone's delete_zone).
    p.rows.length ? table(['Action', 'Owner', 'Type', 'Old -> new'], p.rows.map(rowCells), 'diff', (i) => p.rows[i]?.action ?? '') : !p.action && el('p', '', 'Nothing to change.'),
    p.more > 0 && el('p', 'muted', `${p.more} more changes are not listed here.`),
    findings(p),
    (p.snapshot || str(s['snapshot'])) && el('details', '', el('summary', '', 'The zone before the change (BIND zone file: import it to restore)'), el('pre', 'mono small', p.snapshot || str(s['snapshot']))),
    typeof approval['approval'] === 'string' && approveBox(app, approval),
    applyBoxFor(app, s),
  );
}
