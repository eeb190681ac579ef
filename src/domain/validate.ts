/**
 * Validation that reports every reason at once, each naming the field and the rule, with an
 * example of a valid value, so that an agent can fix all of its input in one go.
 */
import type { Problem } from '../errors.js';
import { normaliseName, fqdn, isInZone, nameSyntaxProblems, normaliseZone } from './names.js';
import { MIN_TTL, MAX_TTL, SUPPORTED_TYPES, hasPriority, parseRecordType, recordFromInput } from './model.js';
import { inputValue } from './values.js';
import { parseQuotedSequence } from './charstring.js';
import { escapeForDisplay } from './display.js';
import type { RecordInputLike, RecordSpec } from './model.js';
import { valueProblems, EXAMPLE_VALUES } from './validate-values.js';
import { validateZoneRecords } from './validate-zone.js';

export { validateZoneRecords, describeRecord } from './validate-zone.js';
export { EXAMPLE_VALUES } from './validate-values.js';

function nameProblems(input: RecordInputLike, zone: string): Array<Omit<Problem, 'field'>> {
  if (typeof input.name !== 'string') return [{ rule: 'required', message: 'name is required: `@` for the zone apex, a label such as `www`, or a full name', example: 'www' }];
  const name = normaliseName(input.name, zone);
  const z = normaliseZone(zone);
  if (!isInZone(name, zone)) {
    return [{ rule: 'name_outside_zone', message: `"${input.name}" is outside the zone ${z}: give a name relative to the zone, or a full name ending in .${z}`, example: `www or www.${z}` }];
  }
  const full = fqdn(name, zone).slice(0, -1);
  return nameSyntaxProblems(full, { wildcard: true }).map((p) => ({ ...p, message: `"${input.name.trim()}" ${p.message}`, example: 'www' }));
}

function ttlProblems(ttl: unknown): Array<Omit<Problem, 'field'>> {
  if (ttl === undefined || ttl === null) return [];
  if (typeof ttl !== 'number' || !Number.isInteger(ttl)) return [{ rule: 'ttl_integer', message: `TTL ${String(ttl)} must be a whole number of seconds`, example: '3600' }];
  if (ttl < MIN_TTL || ttl > MAX_TTL) return [{ rule: 'ttl_range', message: `TTL ${ttl} must be between ${MIN_TTL} and ${MAX_TTL} seconds (1 minute to 1 week)`, example: '3600' }];
  return [];
}

function priorityProblems(type: string, priority: unknown): Array<Omit<Problem, 'field'>> {
  // Refused rather than dropped: a priority on an A record is a misunderstanding worth saying.
  if (!hasPriority(type)) return priority === undefined || priority === null ? [] : [{ rule: 'priority_not_used', message: `${type} records have no priority (only MX and SRV do): leave priority out` }];
  const ex = '10';
  if (priority === undefined || priority === null) return [{ rule: 'priority_required', message: `${type} records require a priority (0-65535, lower is preferred)`, example: ex }];
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 0 || priority > 65535) {
    return [{ rule: 'priority_range', message: `priority ${String(priority)} must be an integer 0-65535`, example: ex }];
  }
  return [];
}

const TXT_QUOTING = {
  rule: 'txt_quoting',
  message: 'TXT value starts with a double quote but is not a sequence of complete quoted strings: give the text without quotes, or quote every part ("part one" "part two"), escaping a quote inside as \\"',
  example: 'v=spf1 -all',
};

/**
 * Every problem with one record input. Fields are prefixed (`records[3].value`) when asked.
 * A tool's input may give TXT in zone-file quoting (inputValue); `modelValue` says the value is
 * already the model's (a zone file's decoded text), never to be read as quoting again.
 */
export function validateRecord(input: RecordInputLike, zone: string, opts: { fieldPrefix?: string; modelValue?: boolean } = {}): Problem[] {
  const at = (f: string) => (opts.fieldPrefix ? `${opts.fieldPrefix}.${f}` : f);
  const out: Problem[] = [];
  const push = (field: string, ps: Array<Omit<Problem, 'field'>>) => ps.forEach((p) => out.push({ field: at(field), ...p }));
  const type = typeof input.record_type === 'string' ? parseRecordType(input.record_type) : null;
  if (!type) {
    push('record_type', [{ rule: 'record_type', message: `record type "${String(input.record_type)}" is not supported; use one of ${SUPPORTED_TYPES.join(', ')}`, example: 'A' }]);
  }
  const names = nameProblems(input, zone);
  push('name', names);
  if (type && typeof input.value !== 'string') {
    push('value', [{ rule: 'required', message: `value is required for a ${type} record`, example: EXAMPLE_VALUES[type] }]);
  } else if (type === 'TXT' && !opts.modelValue && input.value.trim().startsWith('"') && parseQuotedSequence(input.value) === null) {
    push('value', [TXT_QUOTING]);
  } else if (type) {
    const vps = valueProblems(type, opts.modelValue ? input.value : inputValue(type, input.value).value, zone);
    for (const p of vps) push(p.field, [{ rule: p.rule, message: p.message, ...(p.example ? { example: p.example } : {}) }]);
  }
  push('ttl', ttlProblems(input.ttl));
  if (type) push('priority', priorityProblems(type, input.priority));
  if (type === 'CNAME' && names.length === 0 && normaliseName(input.name, zone) === '@') {
    push('name', [{ rule: 'cname_at_apex', message: 'a CNAME cannot be at the zone apex (@): the apex holds the SOA and NS records (RFC 1034 3.6.2); use A/AAAA records there', example: 'www' }]);
  }
  if (type === 'NS' && names.length === 0 && /^\*(\.|$)/.test(normaliseName(input.name, zone))) {
    // RFC 4592 4.2: a wildcard cannot delegate; BIND refuses to load such a zone.
    push('name', [{ rule: 'ns_wildcard', message: 'an NS record cannot have a wildcard name: delegate each subdomain by its own name', example: 'sub' }]);
  }
  // Messages quote the input back: make hidden characters in it visible.
  return out.map((p) => ({ ...p, message: escapeForDisplay(p.message) }));
}

/**
 * Validates a whole desired set: each input (fields `records[i].x`), then the cross-record rules
 * over the valid ones, with duplicates of a per-record problem removed.
 */
export function validateRecords(inputs: RecordInputLike[], zone: string, field = 'records'): { problems: Problem[]; specs: RecordSpec[]; indexes: number[] } {
  const problems: Problem[] = [];
  const specs: RecordSpec[] = [];
  const indexes: number[] = [];
  inputs.forEach((input, i) => {
    const ps = validateRecord(input, zone, { fieldPrefix: `${field}[${i}]` });
    problems.push(...ps);
    if (ps.length === 0) {
      specs.push(recordFromInput(input, zone));
      indexes.push(i);
    }
  });
  const seen = new Set(problems.map((p) => `${p.field}|${p.rule}`));
  for (const p of validateZoneRecords(specs, zone, (k) => `${field}[${indexes[k] ?? k}]`)) {
    if (!seen.has(`${p.field}|${p.rule}`)) problems.push(p);
  }
  return { problems, specs, indexes };
}
