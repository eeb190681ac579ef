/**
 * BIND zone files in. Names in a zone file are relative to `$ORIGIN` (not to the zone as in the
 * provider's API), so every name here is made absolute before it meets the record model: that
 * removes the dotted-target ambiguity the API has. Nothing is dropped silently: unsupported
 * records are listed in `skipped`, errors in `problems`, each with its line.
 */
import type { Problem } from '../errors.js';
import { SUPPORTED_TYPES, normaliseRecord, parseRecordType } from './model.js';
import { escapeForDisplay } from './display.js';
import type { RecordSpec, RecordInputLike } from './model.js';
import { ambiguousOwner, normaliseName, normaliseZone } from './names.js';
import { validateRecord, validateZoneRecords } from './validate.js';
import { lex } from './zonefile-lexer.js';
import type { Entry, Token } from './zonefile-lexer.js';
import { rdataInput } from './zonefile-rdata.js';
import { absoluteName, classMnemonic, parseTtl, typeMnemonic } from './zonefile-tokens.js';
import { ttlState } from './zonefile-ttl.js';
import { cutsLost } from './charstring.js';
import type { ReshapedTxt } from './txt-cuts.js';

export interface ParsedZone {
  origin: string;
  records: RecordSpec[];
  skipped: Array<{ line: number; name: string; type: string; reason: string }>;
  problems: Problem[];
  /** TXT records whose several strings become one text, their cuts lost (issue 17.6). */
  reshaped: ReshapedTxt[];
}

export function parseZoneFile(text: string, zone: string): ParsedZone {
  const z = normaliseZone(zone);
  let origin = `${z}.`;
  let firstOrigin: string | null = null;
  const ttls = ttlState();
  let owner: string | null = null;
  let ownerText = '';
  const out: ParsedZone = { origin, records: [], skipped: [], problems: [], reshaped: [] };
  const lines: number[] = [];
  const problem = (line: number, message: string, rule = 'zone_file', example?: string): void => {
    out.problems.push({ field: `line ${line}`, rule, message, ...(example ? { example } : {}) });
  };
  // A BOM (editors on Windows add one) would otherwise become part of the first owner name.
  const lexed = lex(text.replace(/^\ufeff/, ''));
  for (const p of lexed.problems) problem(p.line, p.message, 'zone_file_syntax');

  const directive = (e: Entry, name: string, args: Token[]) => {
    const arg = args[0];
    if (name === '$INCLUDE') problem(e.line, '$INCLUDE is refused: a zone file given here cannot read other files; paste the included records in its place', 'include_refused');
    else if (name === '$ORIGIN') {
      const o = arg ? absoluteName(arg, origin) : null;
      if (!o) problem(e.line, '$ORIGIN needs one domain name', 'zone_file_syntax', `$ORIGIN ${z}.`);
      else {
        origin = o;
        firstOrigin ??= o;
      }
    } else if (name === '$TTL') {
      const t = arg ? parseTtl(arg.text) : null;
      if (t === null) problem(e.line, '$TTL needs a number of seconds (or units such as 1h)', 'zone_file_syntax', '$TTL 3600');
      else ttls.setDefault(t);
    } else problem(e.line, `directive ${name} is not supported (only $ORIGIN and $TTL); write the records out instead`, 'directive_unsupported');
  };

  for (const e of lexed.entries) {
    const toks = e.tokens;
    const first = toks[0];
    if (!e.ownerOmitted && first && !first.quoted && first.text.startsWith('$')) {
      directive(e, first.text.toUpperCase(), toks.slice(1));
      continue;
    }
    let k = 0;
    if (!e.ownerOmitted && first) {
      owner = absoluteName(first, origin);
      ownerText = first.text;
      k = 1;
      if (owner === null) {
        problem(e.line, `owner name "${first.text}" uses quotes or escapes, which this importer does not accept`, 'name_syntax');
        continue;
      }
    } else if (owner === null) {
      problem(e.line, 'this line starts with a blank, so it reuses the previous owner name, but there is none yet', 'zone_file_syntax');
      continue;
    }
    let ttl: number | null = null;
    let cls: string | null = null;
    for (let n = 0; n < 2 && k < toks.length; n++) {
      const t = toks[k] as Token;
      const asTtl = t.quoted ? null : parseTtl(t.text);
      if (asTtl !== null && ttl === null) ttl = asTtl;
      else if (!t.quoted && cls === null && classMnemonic(t.text) !== null) cls = classMnemonic(t.text);
      else break;
      k++;
    }
    const typeTok = toks[k];
    const name = normaliseName(owner, z);
    const relativeTo = ownerText.endsWith('.') || ownerText === '@' ? '' : ` (no trailing dot, so relative to $ORIGIN ${origin})`;
    const ambiguous = ambiguousOwner(name, z, ownerText, relativeTo);
    if (ambiguous) {
      problem(e.line, ambiguous, 'name_ambiguous');
      continue;
    }
    if (!typeTok || typeTok.quoted || !/^[A-Za-z][A-Za-z0-9-]*$/.test(typeTok.text)) {
      problem(e.line, typeTok ? `"${typeTok.text}" is not a record type` : 'the record type is missing', 'zone_file_syntax', 'www 3600 IN A 192.0.2.1');
      continue;
    }
    const type = typeMnemonic(typeTok.text);
    const soaMinimum = type === 'SOA' ? parseTtl(toks[k + 7]?.text ?? '') : undefined;
    const recordTtl = ttls.resolve(ttl, soaMinimum);
    const skip = (reason: string) => out.skipped.push({ line: e.line, name, type, reason });
    if (cls !== null && cls !== 'IN') { skip(`class ${cls} is not served; only IN`); continue; }
    if (type === 'SOA') { skip('SOA is managed by the provider'); continue; }
    const recordType = parseRecordType(type);
    if (!recordType) { skip(`type ${type} is not supported by VPS.org (supported: ${SUPPORTED_TYPES.join(', ')})`); continue; }
    if (recordType === 'NS' && name === '@' && e.comments.some((c) => c.includes('provider nameserver'))) {
      skip("the provider's own nameserver, written by export: it is served without a record");
      continue;
    }
    const rd = rdataInput(recordType, toks.slice(k + 1), origin);
    if ('error' in rd) { problem(e.line, `${type} record: ${rd.error}`, 'zone_file_rdata', rd.example); continue; }
    if (recordTtl === null) {
      problem(e.line, 'no TTL is known for this record: there is no $TTL, no SOA before it and no earlier TTL (BIND rejects such a zone); add `$TTL 3600` at the top or a TTL on the record', 'ttl_unknown', '$TTL 3600');
      continue;
    }
    const input: RecordInputLike = { name: owner, record_type: recordType, value: rd.value, ttl: recordTtl, priority: rd.priority };
    const ps = validateRecord(input, z, { fieldPrefix: `line ${e.line}`, modelValue: true });
    if (ps.length > 0) { out.problems.push(...ps); continue; }
    out.records.push(normaliseRecord(input, z));
    lines.push(e.line);
    if (rd.parts && cutsLost(rd.parts)) out.reshaped.push({ where: `line ${e.line}`, name, parts: rd.parts });
  }
  out.problems.push(...validateZoneRecords(out.records, z, (i) => `line ${lines[i] ?? '?'}`));
  out.origin = firstOrigin ?? origin;
  out.problems = out.problems.map((p) => ({ ...p, message: escapeForDisplay(p.message) }));
  out.skipped = out.skipped.map((x) => ({ ...x, name: escapeForDisplay(x.name), type: escapeForDisplay(x.type) }));
  return out;
}
