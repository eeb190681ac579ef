import type { Change } from './diff.js';
import type { RecordSpec } from './model.js';
import { escapeForDisplay } from './display.js';
import { fqdn } from './names.js';

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

/** ` ; www.example.com.`: the full owner name beside the relative one, as a zone-file comment. */
const full = (name: string, zone: string) => ` ; ${escapeForDisplay(fqdn(name, zone))}`;

/**
 * The changes as a short zone-file-style diff for a model to read: `-` delete, `+` create,
 * `~` update followed by one indented line per changed field. Each line ends with the full owner
 * name, so `www.example.org` written relative to example.com shows as www.example.org.example.com.
 */
export function renderDiff(changes: Change[], zone: string): string {
  if (changes.length === 0) return '(no changes)';
  const lines: string[] = [];
  for (const ch of changes) {
    if (ch.action === 'delete') lines.push(`- ${displayRecord(ch.before)}${full(ch.before.name, zone)}`);
    else if (ch.action === 'create') lines.push(`+ ${displayRecord(ch.after)}${full(ch.after.name, zone)}`);
    else {
      lines.push(`~ ${displayRecord(ch.before)}${ch.ttlOnly ? '  (TTL only)' : ''}${full(ch.before.name, zone)}`);
      for (const f of ch.fields) {
        if (f === 'value') lines.push(`    value ${displayValue(ch.before)} -> ${displayValue(ch.after)}`);
        else if (f === 'ttl') lines.push(`    ttl ${ch.before.ttl} -> ${ch.after.ttl}`);
        else if (f === 'priority') lines.push(`    priority ${ch.before.priority ?? '-'} -> ${ch.after.priority ?? '-'}`);
        else lines.push(`    ${f} ${escapeForDisplay(String(ch.before[f]))} -> ${escapeForDisplay(String(ch.after[f]))}${f === 'name' ? full(ch.after.name, zone) : ''}`);
      }
    }
  }
  return lines.join('\n');
}
