/**
 * Short text renderings for the model: one line per nameserver address. Values and details come
 * from servers we do not control, so they stay inside a delimited block with every control or
 * bidi character made visible.
 */
import { dataBlock } from '../domain/display.js';
import type { DelegationResult } from './delegation.js';
import type { PropagationResult, ServerStatus } from './propagation-check.js';
import type { ZonePropagationResult } from './propagation-zone.js';

function block(lines: string[]): string[] {
  return lines.length ? [dataBlock(lines, 'nameserver answers')] : [];
}

const where = (s: { address: string; port: number }) => (s.address.includes(':') ? `[${s.address}]:${s.port}` : `${s.address}:${s.port}`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function serverLine(s: ServerStatus): string {
  const facts = [
    s.status.toUpperCase().padEnd(7),
    `serial ${s.serial ?? '-'}`,
    `ttl ${s.ttl ?? '-'}`,
    s.aa === null ? 'aa -' : s.aa ? 'aa' : 'not-aa',
    `${s.rttMs} ms`,
  ];
  // In sync means it serves exactly the expected values, printed once above: a long TXT is not repeated per server.
  const values = s.values.length && s.status !== 'in_sync' ? `; values: ${s.values.join(' | ')}` : '';
  return `${s.host} ${where(s)}  ${facts.join('  ')}  ${s.detail}${values}`;
}

function serialsNote(servers: ServerStatus[], agree: boolean): string {
  if (agree) return `serials agree (${servers[0]?.serial ?? '-'})`;
  const seen = [...new Set(servers.map((s) => s.serial ?? 'unknown'))];
  return `serials differ (${seen.join(' vs ')})`;
}

/** The reminder about caches (RFC 1034 TTL, RFC 2308 negative caching). */
export function cacheReminder(maxTtl: number | null, negativeTtl: number | null): string {
  const parts: string[] = [];
  if (maxTtl !== null) parts.push(`resolvers that cached the previous answer may keep serving it until its TTL runs out: up to ${maxTtl} s, the largest TTL served now (longer if the old record had a longer TTL)`);
  if (negativeTtl !== null) parts.push(`a "does not exist" answer may be cached for up to ${negativeTtl} s (the zone's negative-caching TTL)`);
  return parts.length ? `Note: the check asks the authoritative servers directly; ${parts.join('; ')}.` : 'Note: the check asks the authoritative servers directly; recursive resolvers may still serve an older cached answer until its TTL expires.';
}

export function renderPropagation(r: PropagationResult): string {
  const inSync = r.servers.filter((s) => s.status === 'in_sync').length;
  const head = `${r.name} ${r.record_type}: ${r.propagated ? 'propagated' : 'NOT propagated'}, ${inSync}/${r.servers.length} nameserver addresses in sync; ${serialsNote(r.servers, r.serials_agree)}; ${r.rounds} round${r.rounds === 1 ? '' : 's'} in ${seconds(r.elapsed_ms)}`;
  const expected = `expected: ${r.expected.length ? r.expected.join(' | ') : '(no records: the name/type must not exist)'}`;
  return [head, ...block([expected, ...r.servers.map(serverLine)]), cacheReminder(r.max_ttl_seen, r.negative_ttl)].join('\n');
}

/** `shown`: the record sets not in sync to detail (default all of them); the head counts every set. */
export function renderZonePropagation(r: ZonePropagationResult, shown: PropagationResult[] = r.sets.filter((s) => !s.propagated)): string {
  const serials = Object.entries(r.serials).map(([k, v]) => `${k}=${v ?? 'unknown'}`).join(' ');
  const head = `zone ${r.zone}: ${r.propagated ? 'propagated' : 'NOT propagated'}, ${r.sets_in_sync}/${r.total_sets} record sets in sync on every address; serials ${r.serials_agree ? 'agree' : 'differ'} (${serials}); ${r.rounds} round${r.rounds === 1 ? '' : 's'} in ${seconds(r.elapsed_ms)}`;
  const lines = shown.flatMap(laggingLines);
  const ttls = r.sets.map((s) => s.max_ttl_seen).filter((t): t is number => t !== null);
  const negs = r.sets.map((s) => s.negative_ttl).filter((t): t is number => t !== null);
  return [head, ...block(lines), cacheReminder(ttls.length ? Math.max(...ttls) : null, negs.length ? Math.max(...negs) : null)].join('\n');
}

/** One record set that is not in sync: what was expected, and each server that does not serve it. */
export function laggingLines(s: PropagationResult): string[] {
  return [`${s.name} ${s.record_type} expected ${s.expected.join(' | ') || '(none)'}`, ...s.servers.filter((x) => x.status !== 'in_sync').map((x) => `  ${serverLine(x)}`)];
}

export function renderDelegation(r: DelegationResult): string {
  const verdict = r.ok ? 'delegation OK' : r.delegated ? 'delegation has problems' : 'NOT delegated';
  // The parent's name comes from a third party's SOA: outside the block only when it is an ancestor of the zone, as a real parent is.
  const parent = r.parent_zone;
  const ancestor = parent === null || parent === '.' || r.zone.endsWith(`.${parent}`);
  const lines = [
    `${r.zone}: ${verdict}; parent zone ${parent === null ? 'unknown' : ancestor ? parent : 'unexpected (see below)'}`,
    ...(ancestor ? [] : [`parent zone: ${parent}`]),
    `parent NS: ${r.parent_ns.join(', ') || '(none)'}`,
    `provider NS: ${r.expected_ns.join(', ') || '(none)'}`,
    `apex NS (API): ${r.apex_ns.join(', ') || '(none)'}`,
    `apex NS (served by the provider): ${r.served_ns.join(', ') || '(none answered)'}`,
    ...r.servers.map((s) => `${s.host} ${s.address ? where({ address: s.address, port: s.port ?? 53 }) : '-'}  ${s.status === 'lame' && r.not_loaded.includes(s.host) ? 'NOT LOADED YET' : s.status.toUpperCase()}  serial ${s.serial ?? '-'}  ${s.rttMs ?? '-'} ms  ${s.detail}`),
    ...r.problems.map((p) => `problem: ${p}`),
    ...r.notes.map((n) => `note: ${n}`),
  ];
  return [lines[0] as string, ...block(lines.slice(1)), ...(r.next_step ? [`What to do: ${r.next_step}`] : [])].join('\n');
}
