/**
 * A plan preview (apply_zone, plan_zone, import_zone_file, undo_change, delete_record, delete_zone):
 * the per-record diff, the risks, the audit findings the change would add, and, when the server
 * signed an approval for the person (result _meta), an Approve button that calls the app-only
 * approve_plan tool. The plan is the tool's own structured result, so the view shows what the
 * server computed and nothing else.
 */
import type { App } from '@modelcontextprotocol/ext-apps';
import { arr, badge, el, obj, show, str, table, type Child } from './dom.js';

/** Where the server puts the approval (src/apps/approval.ts). */
const APPROVAL_KEY = 'vpsorg-dns-mcp/approval';

type Spec = { name?: string; record_type?: string; value?: string; ttl?: number; priority?: number | null };
type Change = { action: string; before?: Spec; after?: Spec; ttl_only?: boolean };

const valueOf = (r: Spec | undefined) => (r ? `${r.priority !== null && r.priority !== undefined ? `${r.priority} ` : ''}${str(r.value)} (ttl ${str(r.ttl)})` : '');
const ACTION: Record<string, [string, 'ok' | 'warn' | 'bad']> = { create: ['add', 'ok'], update: ['change', 'warn'], delete: ['delete', 'bad'] };

function changeRow(c: Change): Child[] {
  const r = (c.action === 'create' ? c.after : c.before) ?? {};
  const [label, kind] = ACTION[c.action] ?? [c.action, 'info'];
  const moved = c.action === 'update' && (c.before?.name !== c.after?.name || c.before?.record_type !== c.after?.record_type) ? ` -> ${str(c.after?.name)} ${str(c.after?.record_type)}` : '';
  const change =
    c.action === 'create'
      ? el('span', 'mono', valueOf(c.after))
      : c.action === 'delete'
        ? el('span', 'mono old', valueOf(c.before))
        : el('span', 'mono', el('span', 'old', valueOf(c.before)), ' -> ', valueOf(c.after));
  return [badge(label, kind), el('span', 'mono', `${str(r.name)}${moved}`), str(r.record_type), change];
}

/** The risks the plan carries: deletes, the apex NS, the share of the zone it changes (blast radius), and the server's reasons. */
function risks(s: Record<string, unknown>, changes: Change[]): Child {
  const risk = obj(s['risk']);
  const counts = obj(s['counts']);
  const deletes = typeof counts['deletes'] === 'number' ? counts['deletes'] : changes.filter((c) => c.action === 'delete').length;
  const apexNs = risk['touches_apex_ns'] === true || changes.some((c) => [c.before, c.after].some((r) => r?.record_type === 'NS' && r.name === '@'));
  const fraction = typeof risk['changed_fraction'] === 'number' ? risk['changed_fraction'] : null;
  const reasons = arr<string>(risk['reasons']).map(str);
  const blast = reasons.some((r) => /over the \d+% limit/.test(r));
  const badges: Child[] = [
    deletes > 0 ? badge(`${deletes} delete${deletes === 1 ? '' : 's'}`, 'bad') : badge('no deletes', 'ok'),
    apexNs ? badge('apex NS: who answers for the domain', 'bad') : null,
    fraction !== null ? badge(`blast radius ${Math.round(fraction * 100)}% of the zone`, blast ? 'bad' : 'info') : null,
  ];
  return el('div', 'risks', el('p', '', ...badges.flatMap((b) => (b ? [b, ' '] : []))), reasons.length > 0 && el('ul', '', ...reasons.map((r) => el('li', '', r))));
}

function findings(s: Record<string, unknown>): Child {
  const ws = arr(s['warnings']);
  if (!ws.length) return null;
  return el(
    'div',
    '',
    el('h2', '', 'New audit findings this change would add'),
    table(
      ['Severity', 'Finding', 'Where', 'Fix'],
      ws.map((w) => [badge(str(w['severity']), w['severity'] === 'error' ? 'bad' : 'warn'), el('div', '', el('div', 'mono', `${str(w['code'])} (${str(w['count'])})`), str(w['message'])), el('span', 'mono', arr<string>(w['names']).map(str).join(', ')), str(w['fix'])]),
    ),
  );
}

const STATUS: Record<string, [string, 'ok' | 'warn' | 'bad' | 'info']> = {
  required: ['waiting for confirmation', 'warn'],
  approve_in_app: ['waiting for your approval', 'warn'],
  dry_run: ['dry run: nothing changed', 'info'],
  declined: ['declined: nothing changed', 'info'],
  cancelled: ['cancelled: nothing changed', 'info'],
  confirmed_by_token: ['applied', 'ok'],
  confirmed_by_user: ['applied', 'ok'],
  confirmed_in_app: ['applied', 'ok'],
  not_permitted: ['not permitted: nothing changed', 'bad'],
};

let toolArgs: Record<string, unknown> | undefined;
/** The tool's arguments as the host sent them (ui/notifications/tool-input): approve_plan re-plans with them. */
export function setPlanInput(args: Record<string, unknown> | undefined): void {
  toolArgs = args;
}

function approveBox(app: App, approval: Record<string, unknown>): Child {
  const status = el('span', 'muted', `Approval valid until ${str(approval['expires_at'])}.`);
  const button = el('button', 'primary', 'Approve');
  button.id = 'approve';
  button.addEventListener('click', () => {
    button.disabled = true;
    status.textContent = 'Applying...';
    app
      .callServerTool({ name: 'approve_plan', arguments: { tool: str(approval['tool']), arguments: toolArgs ?? {}, approval: str(approval['token']) } })
      .then((res) => {
        const text = (res.content ?? []).map((c) => (c.type === 'text' ? c.text : '')).join('\n');
        if (res.isError) {
          status.replaceChildren(badge('refused', 'bad'), ' ', el('span', 'error', text));
          return;
        }
        status.replaceChildren(badge('approved and applied', 'ok'), ' ', el('pre', 'small', text));
      })
      .catch((err: unknown) => {
        status.replaceChildren(badge('failed', 'bad'), ' ', el('span', 'error', err instanceof Error ? err.message : String(err)));
      });
  });
  return el('div', 'actions', button, status);
}

export function renderPlan(s: Record<string, unknown>, app: App, meta: Record<string, unknown> = {}): void {
  const zone = obj(s['zone']);
  const changes = arr<Change>(s['changes']);
  const omitted = obj(s['changes_page'])['omitted'];
  const confirmation = str(s['confirmation']) || (s['applied'] === true ? 'confirmed_by_user' : s['dry_run'] === true ? 'dry_run' : '');
  const [label, kind] = STATUS[confirmation] ?? (s['applied'] === true ? ['applied', 'ok'] : ['preview', 'info']);
  const approval = obj(meta[APPROVAL_KEY]);
  show(
    el('h1', '', 'Plan for ', el('span', 'mono', str(zone['domain']))),
    el('p', '', badge(label, kind)),
    risks(s, changes),
    changes.length ? table(['Action', 'Owner', 'Type', 'Old -> new'], changes.map(changeRow), 'diff', (i) => changes[i]?.action ?? '') : el('p', '', 'Nothing to change.'),
    typeof omitted === 'number' && omitted > 0 && el('p', 'muted', `${omitted} more changes are not listed here (the counts cover them all).`),
    findings(s),
    typeof approval['token'] === 'string' && approveBox(app, approval),
  );
}
