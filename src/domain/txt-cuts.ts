/**
 * Issue 17.6: say when data changes shape. The provider keeps a TXT value as one text, so
 * character-strings written `"a=1" "b=2"` become `a=1b=2`, served again cut every 255 bytes:
 * fine for SPF and DKIM (their readers join the strings), wrong for DNS-SD (RFC 6763 6.3: one
 * key=value per string). One warning per record, naming where it was written.
 */
import type { ChangeWarning } from '../audit/after-change.js';
import { cutsLost, joinedText, quotedStrings } from './charstring.js';
import { escapeForDisplay } from './display.js';
import type { RecordInputLike } from './model.js';

/** A TXT record whose string boundaries are lost: where it was written (`line 12`, `records.3`), its owner, its strings. */
export interface ReshapedTxt {
  where: string;
  name: string;
  parts: Uint8Array[];
}

/** At most this many records are warned about one by one; the rest are counted in one more warning. */
const MAX_EACH = 10;

const excerpt = (s: string) => escapeForDisplay(s.length > 60 ? `${s.slice(0, 60)}...` : s);

/** The warnings for `reshaped`, one per record (bounded). */
export function reshapedWarnings(reshaped: readonly ReshapedTxt[]): ChangeWarning[] {
  const fix = 'Nothing to do for SPF, DKIM or other text read joined. DNS-SD key=value pairs cannot be kept apart at this provider: serve them from a zone that keeps TXT strings.';
  const each = reshaped.slice(0, MAX_EACH).map((r): ChangeWarning => {
    const strings = r.parts.map((p) => excerpt(JSON.stringify(new TextDecoder().decode(p)))).join(' ');
    return {
      severity: 'warning',
      code: 'txt_strings_joined',
      count: 1,
      names: [r.name],
      message: `${r.where}: TXT at ${escapeForDisplay(r.name)} is written as ${r.parts.length} strings (${strings}) cut elsewhere than every 255 bytes. The provider keeps one text (${excerpt(JSON.stringify(joinedText(r.parts) ?? ''))}) and serves it cut every 255 bytes: the string boundaries are lost.`,
      fix,
    };
  });
  const rest = reshaped.slice(MAX_EACH);
  if (rest.length) {
    each.push({
      severity: 'warning',
      code: 'txt_strings_joined',
      count: rest.length,
      names: [...new Set(rest.map((r) => r.name))].slice(0, 5),
      message: `${rest.length} more TXT records (${rest.slice(0, 3).map((r) => r.where).join(', ')}, ...) are written as several strings cut elsewhere than every 255 bytes: each becomes one text, its string boundaries lost.`,
      fix,
    });
  }
  return each;
}

/** TXT inputs (a tool's records, read as inputValue reads them) whose quoted strings would be joined with their cuts lost. */
export function txtCutWarnings(inputs: readonly RecordInputLike[], where: (i: number) => string): ChangeWarning[] {
  const reshaped: ReshapedTxt[] = [];
  inputs.forEach((r, i) => {
    if (typeof r.record_type !== 'string' || r.record_type.trim().toUpperCase() !== 'TXT' || typeof r.value !== 'string') return;
    const parts = quotedStrings(r.value);
    if (parts && cutsLost(parts)) reshaped.push({ where: where(i), name: r.name, parts });
  });
  return reshapedWarnings(reshaped);
}
