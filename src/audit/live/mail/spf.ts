/**
 * SPF as receivers see it (issue 25.2): for the apex and every name with an SPF record, the
 * record served now is fetched with everything it includes, evaluated as RFC 7208 does, and
 * every problem becomes a finding with the call that fixes it. Problems inside a record the zone
 * does not hold (a provider's include) get an instruction, or removal of the term that pulls it in.
 */
import type { AuditRecord } from '../../types.js';
import type { LiveFinding, LiveFix, LiveResolver } from '../types.js';
import { SpfFetcher, type SpfRecordNode } from './spf-fetch.js';
import { evaluateSpf, MAX_LOOKUPS, MAX_VOIDS, type SpfEvaluation } from './spf-eval.js';
import { recordTree, type SpfTree, type SpfTreeTerm } from './spf-tree.js';
import { isSpfText } from './spf-parse.js';
import { flattenSpf, FLATTEN_TRADEOFF } from './spf-flatten.js';
import { finding, fqdnOf, instruction, relName, replaceTxt, at } from './fix.js';
import type { MailOptions } from './options.js';
import { MERGE_BY_HAND, mergeSpf } from '../../fix-mail.js';

export interface SpfReport {
  name: string;
  /** The receiver's result: for `ip` when given, else for a server the record does not list. */
  evaluation: SpfEvaluation & { ip: string | null };
  tree: SpfTree;
}

/**
 * Said when the zone's record and the served one differ. Neither text is quoted: a fix call holds
 * no text a server gave (the finding's records show the zone's own).
 */
export const DIFFERS = " The zone's record differs from the one served: servers may not have the latest change yet; audit again once they do.";

const withoutTerms = (spf: string, drop: (term: string, i: number) => boolean) =>
  spf.split(' ').filter(Boolean).filter((t, i) => i === 0 || !drop(t, i - 1)).join(' ');

/** Each top-level term's breakdown: `include:x 11, a:y 1`. */
const breakdown = (tree: SpfTree) => tree.terms.filter((t) => t.lookups > 0).map((t) => `${t.term} ${t.lookups}`).join(', ');

/** Findings about one term at the top level (the zone holds it) or below (it does not). */
/**
 * Fix values come from the zone's own record (what the API lists), never from what the servers
 * answered: a server serving something else (stale, or hostile) must not be written back.
 */
function ownFix(zone: string, records: readonly AuditRecord[], name: string, own: AuditRecord[], served: string | null, edit: (spf: string) => string | null, what: string): LiveFix {
  const mine = own.length === 1 ? (own[0] as AuditRecord).value : null;
  if (mine === null) return instruction(`The zone holds ${own.length} SPF records at ${name}, not one: ${what} in the zone's own record, then apply_zone.`);
  const next = edit(mine);
  const differs = served !== null && mine.trim() !== served.trim() ? DIFFERS : '';
  if (next === null || next === mine) return instruction(`The zone's own record at ${name} does not need this change.${differs}`);
  const fix = replaceTxt(zone, records, name, isSpfText, next);
  return differs ? { ...fix, tradeoff: `Built from the zone's own record.${differs}` } : fix;
}

function termFindings(zone: string, records: readonly AuditRecord[], name: string, tree: SpfTree, own: AuditRecord[]): LiveFinding[] {
  const out: LiveFinding[] = [];
  const remove = (term: string) => ownFix(zone, records, name, own, tree.spf, (spf) => (spf.split(' ').includes(term) ? withoutTerms(spf, (t) => t === term) : null), `remove "${term}"`);
  const visit = (t: SpfTreeTerm, top: SpfTreeTerm, path: string[]) => {
    const here = [...path, t.term].join(' -> ');
    const ours = t === top;
    const fix = ours ? remove(t.term) : instruction(`Ask the owner of ${path.at(-1) ?? name} to fix it, or remove "${top.term}" from the SPF record at ${name}.`);
    const kinds: Partial<Record<SpfTreeTerm['status'], [LiveFinding['severity'], string, string]>> = {
      invalid: ['error', 'spf_syntax', 'is invalid'],
      no_record: ['error', 'spf_include_missing', 'points at a name with no SPF record: receivers return permerror'],
      multiple: ['error', 'spf_include_multiple', 'points at a name with more than one SPF record: permerror'],
      loop: ['error', 'spf_loop', 'loops back to a record already being evaluated: receivers go round until the 10-lookup limit (permerror)'],
      too_many_mx: ['error', 'spf_mx_too_many', 'names more than 10 MX hosts: permerror (RFC 7208 4.6.4)'],
      void: ['warning', 'spf_void_lookup', `finds nothing (a void lookup); more than ${MAX_VOIDS} in one evaluation is a permerror`],
      ignored: ['warning', 'spf_redirect_ignored', 'is ignored because the record has "all"'],
      after_all: ['warning', 'spf_after_all', 'comes after "all" and is never evaluated'],
      temperror: ['warning', 'spf_temperror', 'could not be looked up: receivers return temperror and may defer mail'],
    };
    const k = kinds[t.status];
    if (k) out.push(finding(k[0], k[1], name, `SPF ${here} ${k[2]}${t.detail ? ` (${t.detail})` : ''}.`, ours ? `Remove or correct "${t.term}" in the SPF record at ${name}.` : `The record is not in this zone: ${'instruction' in fix ? fix.instruction : ''}`, fix, own));
    if (t.term.startsWith('ptr') && t.status !== 'invalid' && ours) out.push(finding('warning', 'spf_ptr', name, `SPF ${here}: "ptr" is slow and unreliable; RFC 7208 5.5 says not to use it.`, 'Replace it with ip4:/ip6: terms for the sending hosts.', instruction(`Replace "${t.term}" at ${name} with ip4:/ip6: terms for the servers that send your mail, then apply_zone.`), own));
    if (t.status === 'macro' && ours) out.push(finding('info', 'spf_macro', name, `SPF ${here} holds a macro: it counts one lookup, but what it finds depends on each sender, so the audit did not look it up.`, 'Nothing to change if the macro is intended.', instruction('No change needed; test with a real sender if in doubt.'), own));
    for (const sub of t.record?.terms ?? []) visit(sub, top, [...path, t.term]);
  };
  for (const t of tree.terms) visit(t, t, []);
  return out;
}

function limitFindings(zone: string, records: readonly AuditRecord[], name: string, root: SpfRecordNode, tree: SpfTree, own: AuditRecord[]): LiveFinding[] {
  const out: LiveFinding[] = [];
  if (tree.lookups > MAX_LOOKUPS) {
    const mine = own.length === 1 ? (own[0] as AuditRecord).value.trim() : null;
    // The flattened record is built from the served tree: offered only when that is the zone's own record.
    const flat = mine === (tree.spf ?? '').trim() ? flattenSpf(root, tree) : { impossible: `the zone's own SPF record at ${name} ${mine === null ? `is not one record (${own.length})` : 'differs from the one served; audit again once servers have it'}` };
    const msg = `permerror: ${tree.lookups} lookups (limit ${MAX_LOOKUPS}): ${breakdown(tree)}. Receivers stop at the 11th and treat SPF as failed for all your mail.`;
    const fix =
      'record' in flat
        ? replaceTxt(zone, records, name, isSpfText, flat.record, FLATTEN_TRADEOFF)
        : instruction(`Remove includes you no longer use from the SPF record at ${name} (the record cannot be flattened: ${flat.impossible}).`);
    out.push(finding('error', 'spf_too_many_lookups', name, msg, `Remove includes you no longer use; or flatten (the fix call: ${'record' in flat ? `${flat.addresses} addresses` : 'not possible'}), with its trade-off.`, fix, own));
  } else if (tree.lookups >= MAX_LOOKUPS - 1) {
    out.push(finding('warning', 'spf_lookups_near_limit', name, `${tree.lookups} of ${MAX_LOOKUPS} DNS lookups used (${breakdown(tree)}): one more include, or a provider adding one to theirs, makes SPF fail.`, 'Remove includes you no longer use.', instruction(`Review the includes of the SPF record at ${name} and remove those you no longer send through.`), own));
  }
  if (tree.voids > MAX_VOIDS) out.push(finding('error', 'spf_void_limit', name, `permerror: ${tree.voids} void lookups (limit ${MAX_VOIDS}); the terms that find nothing are listed as spf_void_lookup.`, 'Remove the terms whose names no longer exist.', instruction(`Remove the terms listed as spf_void_lookup from the SPF record at ${name}.`), own));
  return out;
}

export async function checkSpfLive(zone: string, records: readonly AuditRecord[], resolver: LiveResolver, opts: MailOptions = {}): Promise<LiveFinding[]> {
  return (await spfReports(zone, records, resolver, opts)).findings;
}

export async function spfReports(zone: string, records: readonly AuditRecord[], resolver: LiveResolver, opts: MailOptions = {}): Promise<{ findings: LiveFinding[]; reports: SpfReport[] }> {
  const names = new Set(['@', ...records.filter((r) => r.record_type.toUpperCase() === 'TXT' && isSpfText(r.value)).map((r) => r.name.toLowerCase())]);
  const ip = opts.spfIp ?? null;
  const findings: LiveFinding[] = [];
  const reports: SpfReport[] = [];
  for (const name of names) {
    const domain = fqdnOf(name, zone);
    const root = await new SpfFetcher(resolver, ip ? { ip } : {}).fetch(domain);
    const tree = recordTree(root);
    const evaluation = { ...evaluateSpf(root, ip ?? undefined), ip };
    reports.push({ name, evaluation, tree });
    const own = at(records, name, 'TXT').filter((r) => isSpfText(r.value));
    if (root.txt.status === 'error' || root.txt.status === 'budget') {
      opts.skip?.('spf', `${domain} TXT could not be looked up: ${root.txt.detail}`, own);
      continue;
    }
    if (root.spf.length > 1) {
      // Merged from the zone's own records only: a served record the zone does not hold is never written back.
      const merged = own.length > 1 ? mergeSpf(own.map((r) => r.value), domain) : null;
      const fix = merged !== null ? replaceTxt(zone, records, name, isSpfText, merged) : own.length > 1 ? instruction(MERGE_BY_HAND) : instruction(`The zone holds ${own.length} SPF record${own.length === 1 ? '' : 's'} at ${name}, but its servers serve ${root.spf.length}: they may not have the latest change yet, or serve another copy of the zone; audit again later, and check the zone's nameservers.`);
      findings.push(finding('error', 'spf_duplicate', relName(domain, zone), `${root.spf.length} SPF records are served at ${domain}: receivers return permerror (RFC 7208 4.5), so SPF fails for all mail.`, 'Merge them into one record.', fix, own));
      continue;
    }
    if (root.spf.length === 0) continue; // the zone's own audit reports a missing SPF record
    findings.push(...termFindings(zone, records, name, tree, own), ...limitFindings(zone, records, name, root, tree, own));
  }
  return { findings, reports };
}
