import type { Change } from './diff.js';
import type { RecordSpec } from './model.js';
import { escapeForDisplay } from './display.js';

/** A value as a zone file would show it; TXT as one quoted string (not chunked, for reading). */
export function displayValue(r: Pick<RecordSpec, 'record_type' | 'value'>): string {
  const v = r.record_type === 'TXT' ? `"${r.value.replace(/[\\"]/g, (c) => `\\${c}`)}"` : r.value;
  return escapeForDisplay(v);
}

/** `www 3600 IN MX 10 mail.example.com.`: one record as a zone-file line. */
export function displayRecord(r: RecordSpec): string {
  const prio = (r.record_type === 'MX' || r.record_type === 'SRV') && r.priority !== null ? `${r.priority} ` : '';
  return `${escapeForDisplay(r.name)} ${r.ttl} IN ${r.record_type} ${prio}${displayValue(r)}`;
}

/**
 * The changes as a short zone-file-style diff for a model to read: `-` delete, `+` create,
 * `~` update followed by one indented line per changed field.
 */
export function renderDiff(changes: Change[], _zone: string): string {
  if (changes.length === 0) return '(no changes)';
  const lines: string[] = [];
  for (const ch of changes) {
    if (ch.action === 'delete') lines.push(`- ${displayRecord(ch.before)}`);
    else if (ch.action === 'create') lines.push(`+ ${displayRecord(ch.after)}`);
    else {
      lines.push(`~ ${displayRecord(ch.before)}${ch.ttlOnly ? '  (TTL only)' : ''}`);
      for (const f of ch.fields) {
        if (f === 'value') lines.push(`    value ${displayValue(ch.before)} -> ${displayValue(ch.after)}`);
        else if (f === 'ttl') lines.push(`    ttl ${ch.before.ttl} -> ${ch.after.ttl}`);
        else if (f === 'priority') lines.push(`    priority ${ch.before.priority ?? '-'} -> ${ch.after.priority ?? '-'}`);
        else lines.push(`    ${f} ${escapeForDisplay(String(ch.before[f]))} -> ${escapeForDisplay(String(ch.after[f]))}`);
      }
    }
  }
  return lines.join('\n');
}
