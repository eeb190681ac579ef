/**
 * The approval page as HTML: the approval view (src/safety/approval-view.ts) and two buttons.
 * No script at all, one stylesheet whose hash is the only thing the Content-Security-Policy
 * allows, and every string from the view HTML-escaped: a TXT value `<script>...` stays text.
 */
import { createHash } from 'node:crypto';
import type { ApprovalChange, ApprovalRecord, ApprovalView } from '../safety/approval-view.js';

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.35rem}table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.v{font-family:ui-monospace,monospace;word-break:break-all}.delete{background:#fdecea}.create{background:#eaf6ec}.update{background:#fff8e1}
.callout{color:#8a1c1c;font-weight:600}.risk li{margin:.2rem 0}pre{background:#f4f4f4;padding:.6rem;max-height:24rem;overflow:auto;white-space:pre-wrap;word-break:break-all}
form{display:flex;gap:1rem;margin:1.5rem 0}button{font-size:1.05rem;padding:.6rem 1.6rem;border-radius:6px;border:1px solid #555;cursor:pointer}
button.approve{background:#1f6f3f;color:#fff}button.decline{background:#fff}.note{color:#555}`;

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/** default-src 'none': no script, no frame, no connection, no external load; only this stylesheet and a form posted to this origin. */
export const PAGE_CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const VERB = { create: 'ADD', delete: 'DELETE', update: 'CHANGE' } as const;

function rec(r: ApprovalRecord | undefined): string {
  if (!r) return '';
  return escapeHtml(`${r.priority != null ? `${r.priority} ` : ''}${r.value}  (ttl ${r.ttl})`);
}

function row(c: ApprovalChange): string {
  const owner = c.to ? `${c.fqdn} ${c.type} -> ${c.to.fqdn} ${c.to.type}` : `${c.fqdn} ${c.type}`;
  const callouts = c.callouts.map((x) => `<div class="callout">${escapeHtml(x)}</div>`).join('');
  return `<tr class="${c.action}"><td>${VERB[c.action]}</td><td class="v">${escapeHtml(c.name)}</td><td class="v">${escapeHtml(owner)}${callouts}</td><td class="v">${rec(c.before)}</td><td class="v">${rec(c.after)}</td></tr>`;
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

/** Who asked, and, where a second person must decide, the issuer the approver signs in at. */
export interface PageWho {
  requester?: string;
  signInAt?: string;
}

function whoText(who: PageWho): string {
  const asked = who.requester ? `<p>Asked by <b>${escapeHtml(who.requester)}</b>.</p>` : '';
  const second = who.signInAt !== undefined
    ? `<p class="callout">A second person must decide: Approve and Decline first ask you to sign in${who.signInAt ? ` at ${escapeHtml(who.signInAt)}` : ''}. Your decision counts only if you hold the dns.approve scope and are not the person who asked.</p>`
    : '';
  return asked + second;
}

/** The page a person decides on. `csrf` is bound to this approval; the form posts to the page's own URL. */
export function approvalPage(v: ApprovalView, csrf: string, expiresAt: number, who: PageWho = {}): string {
  const r = v.risk;
  const badges = [r.deletes ? `${r.deletes} delete${r.deletes === 1 ? '' : 's'}` : '', r.touchesApexNs ? 'APEX NS' : r.touchesNs ? 'NS' : '', r.codes.includes('blast_radius') ? 'blast radius' : '', r.codes.includes('budget') ? 'over budget' : ''].filter(Boolean);
  const budget = r.budget ? `<p class="note">Change budget of this zone: ${r.budget.used} of ${r.budget.limit} records changed since ${escapeHtml(r.budget.since)} (10-minute window).</p>` : '';
  const more = v.total > v.changes.length ? `<p class="note">And ${v.total - v.changes.length} more changes: the snapshot below has the whole zone.</p>` : '';
  const findings = v.findings.length
    ? `<h2>New audit findings after this change</h2><ul>${v.findings.map((f) => `<li><b>${escapeHtml(f.severity)}</b> ${escapeHtml(f.code)}${f.count > 1 ? ` (${f.count})` : ''}: ${escapeHtml(f.message)} <span class="note">Fix: ${escapeHtml(f.fix)}</span></li>`).join('')}</ul>`
    : '<p class="note">The audit finds nothing new after this change.</p>';
  const snapshot = v.snapshot ? `<h2>Snapshot taken before the change (BIND zone file; importing it restores what the change removes)</h2><pre>${escapeHtml(v.snapshot.text)}</pre>` : '';
  return page(`Approve: ${v.action}`, [
    `<h1>${escapeHtml(v.action)}?</h1>`,
    `<p>Operation <b>${escapeHtml(v.op)}</b> on zone <b>${escapeHtml(v.zone)}</b>${badges.length ? ` &mdash; <span class="callout">${badges.map(escapeHtml).join(', ')}</span>` : ''}.</p>`,
    whoText(who),
    `<h2>Why this needs you</h2><ul class="risk">${r.reasons.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul>`,
    budget,
    `<h2>Changes (${v.total})</h2>`,
    `<table><thead><tr><th></th><th>Name</th><th>Full name, type</th><th>Old value</th><th>New value</th></tr></thead><tbody>${v.changes.map(row).join('')}</tbody></table>`,
    more,
    findings,
    `<form method="post"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}"><button class="approve" name="decision" value="approve" type="submit">Approve</button><button class="decline" name="decision" value="decline" type="submit">Decline</button></form>`,
    `<p class="note">This page works once and until ${escapeHtml(new Date(expiresAt).toISOString())}. Nothing changes unless you approve; the zone is read again first, and if it changed since this page was made the change is refused.</p>`,
    snapshot,
  ].join(''));
}

/** A short page that says what happened (decided, expired, refused). */
export function messagePage(title: string, text: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`);
}

/** After Approve or Decline on a page that needs a second person: a plain link to the issuer (a form's redirect there would meet the page's form-action policy). */
export function signInPage(issuer: string, url: string, decision: 'approved' | 'declined' | 'expired'): string {
  const verb = decision === 'approved' ? 'approve' : 'decline';
  return page(`Sign in to ${verb}`, `<h1>Sign in to ${verb}</h1><p>Your decision counts once you sign in at ${escapeHtml(issuer)}, as someone who holds the dns.approve scope and did not ask for this change. Nothing is decided until then.</p><p><a id="signin" href="${escapeHtml(url)}">Sign in and ${verb}</a></p>`);
}
