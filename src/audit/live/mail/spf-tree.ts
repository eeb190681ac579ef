/**
 * The lookup tree of an SPF record: what each term costs in all (an include costs one plus
 * everything below it), whether its lookups came back void, and why a term is not evaluated.
 * Unlike the evaluation, which stops where a receiver stops (the 11th lookup), the tree counts
 * everything, so a finding can say "12 lookups" and which include brings how many.
 */
import { COSTS_LOOKUP } from './spf-parse.js';
import type { SpfRecordNode, SpfTermNode } from './spf-fetch.js';

export type SpfTermStatus = 'ok' | 'void' | 'invalid' | 'macro' | 'ignored' | 'after_all' | 'loop' | 'no_record' | 'multiple' | 'temperror' | 'too_many_mx';

export interface SpfTreeTerm {
  term: string;
  /** Lookups this term causes, its subtree included (0 for ip4/ip6/all/exp). */
  lookups: number;
  /** Void lookups (NXDOMAIN or no data) among this term's own lookups. */
  voids: number;
  status: SpfTermStatus;
  detail: string | null;
  /** The include or redirect target's record. */
  record: SpfTree | null;
}

export interface SpfTree {
  domain: string;
  /** The SPF record text (the first one when several are published), or null. */
  spf: string | null;
  lookups: number;
  voids: number;
  terms: SpfTreeTerm[];
}

const isVoid = (values: string[], status: string) => values.length === 0 && (status === 'nxdomain' || status === 'nodata' || status === 'answer');

function termTree(node: SpfRecordNode, t: SpfTermNode, path: string[], state: { afterAll: boolean; hasAll: boolean }): SpfTreeTerm {
  const own = COSTS_LOOKUP.has(t.kind) ? 1 : 0;
  const base = (status: SpfTermStatus, detail: string | null, extra: Partial<SpfTreeTerm> = {}): SpfTreeTerm => ({ term: t.text, lookups: own, voids: 0, status, detail, record: null, ...extra });
  if (t.error) return base('invalid', t.error);
  if (t.kind === 'redirect' && state.hasAll) return base('ignored', 'ignored because the record has "all" (RFC 7208 6.1); receivers such as pyspf still count its lookup');
  const modifier = t.kind === 'redirect' || t.kind === 'exp' || t.kind === 'modifier';
  if (state.afterAll && !modifier) return { ...base('after_all', 'after "all": never evaluated'), lookups: 0 };
  if (t.kind === 'all') state.afterAll = true;
  if (t.macro && t.expanded === undefined) return base('macro', 'holds a macro: counted, not looked up (it depends on the sender)');
  if (t.child) {
    if (path.includes(t.child.domain)) return base('loop', `${t.child.domain} is already being evaluated: ${[...path, t.child.domain].join(' -> ')}`);
    const sub = recordTree(t.child, path);
    const noRecord = sub.spf === null;
    const status: SpfTermStatus = t.child.txt.status === 'error' ? 'temperror' : t.child.spf.length > 1 ? 'multiple' : noRecord ? 'no_record' : 'ok';
    const detail = status === 'ok' ? null : status === 'temperror' ? t.child.txt.detail : status === 'multiple' ? `${t.child.domain} publishes ${t.child.spf.length} SPF records` : `${t.child.domain} has no SPF record (${t.child.txt.status})`;
    return { term: t.text, lookups: own + sub.lookups, voids: sub.voids, status, detail, record: sub };
  }
  const voids = t.queries.filter((q) => isVoid(q.values, q.status)).length;
  // RFC 7208 5.5: a DNS error inside ptr is no match (or a skipped name), not a temperror.
  const failed = t.queries.find((q) => q.status === 'budget' || (q.status === 'error' && t.kind !== 'ptr'));
  if (failed) return base('temperror', `${failed.name} ${failed.type}: ${failed.detail || failed.status}`, { voids });
  const mx = t.kind === 'mx' ? t.queries[0] : undefined;
  if (mx && mx.values.length > 10) return base('too_many_mx', `${t.target} has ${mx.values.length} MX hosts; an mx term may look up at most 10 (RFC 7208 4.6.4)`);
  const empty = t.queries.filter((q) => isVoid(q.values, q.status)).map((q) => `${q.name} ${q.type}`);
  return base(voids ? 'void' : 'ok', voids ? `void lookup: ${empty.join(', ')}` : null, { voids });
}

/** The whole tree under `node`; `path` is the chain of domains above it (for loops). */
export function recordTree(node: SpfRecordNode, path: string[] = []): SpfTree {
  const here = [...path, node.domain];
  const hasAll = node.terms.some((t) => t.kind === 'all' && !t.error);
  const state = { afterAll: false, hasAll };
  const terms = node.parsed?.errorAt === null ? node.terms.map((t) => termTree(node, t, here, state)) : (node.parsed?.terms ?? []).map((t) => termTree(node, { ...t, queries: [], child: null }, here, state));
  const txtVoid = node.spf.length === 0 && isVoid(node.txt.values, node.txt.status) ? 1 : 0;
  return {
    domain: node.domain,
    spf: node.spf[0] ?? null,
    lookups: terms.reduce((n, t) => n + t.lookups, 0),
    voids: txtVoid + terms.reduce((n, t) => n + t.voids, 0),
    terms,
  };
}
