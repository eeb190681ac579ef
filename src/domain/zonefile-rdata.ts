import type { RecordType } from '../api/types.js';
import type { Token } from './zonefile-lexer.js';
import { decodeEscapes, quoteText } from './charstring.js';
import { EXAMPLE_VALUES } from './validate-values.js';
import { absoluteName, tokensText } from './zonefile-tokens.js';
import { genericTokens } from './zonefile-generic.js';

export type RdataResult = { value: string; priority: number | null; parts?: Uint8Array[] } | { error: string; example: string };

const SHAPES: Record<RecordType, string> = {
  A: 'address',
  AAAA: 'address',
  CNAME: 'target',
  NS: 'target',
  MX: 'priority target',
  TXT: '"text" ["more text" ...]',
  SRV: 'priority weight port target',
  CAA: 'flags tag "value"',
};

const EXAMPLES: Record<RecordType, string> = {
  ...EXAMPLE_VALUES,
  CNAME: 'target.example.com.',
  NS: 'ns1.example.com.',
  MX: '10 mail.example.com.',
  TXT: '"v=spf1 -all"',
  SRV: '10 10 5060 sip.example.com.',
};

const num = (t: Token | undefined): number => (t && !t.quoted && /^[0-9]+$/.test(t.text) ? Number(t.text) : NaN);

/** Rdata tokens as the model's value/priority; targets made absolute against `origin`. */
export function rdataInput(type: RecordType, toks: Token[], origin: string): RdataResult {
  const counts: Partial<Record<RecordType, number>> = { A: 1, AAAA: 1, CNAME: 1, NS: 1, MX: 2, SRV: 4, CAA: 3 };
  const fail = (why: string): RdataResult => ({ error: `${why}; expected \`${SHAPES[type]}\``, example: EXAMPLES[type] });
  if (toks[0]?.text === '\\#' && !toks[0].quoted) {
    const g = genericTokens(type, toks);
    if ('error' in g) return { error: g.error, example: `\\# 4 c0000201 (for an A record) or ${EXAMPLES[type]}` };
    return rdataInput(type, g.toks, origin);
  }
  const want = counts[type];
  if (want !== undefined && toks.length !== want) return fail(`got ${toks.length} field${toks.length === 1 ? '' : 's'} of data`);
  const host = (t: Token | undefined) => (t ? absoluteName(t, origin) : null);
  switch (type) {
    case 'A':
    case 'AAAA':
      return { value: toks[0]?.text ?? '', priority: null };
    case 'CNAME':
    case 'NS':
    case 'MX': {
      const target = host(toks[type === 'MX' ? 1 : 0]);
      if (target === null) return fail('the target uses quotes or escapes');
      return { value: target, priority: type === 'MX' ? num(toks[0]) : null };
    }
    case 'SRV': {
      const target = host(toks[3]);
      if (target === null) return fail('the target uses quotes or escapes');
      return { value: `${toks[1]?.text ?? ''} ${toks[2]?.text ?? ''} ${target}`, priority: num(toks[0]) };
    }
    case 'CAA': {
      const text = tokensText(toks.slice(2));
      if (text === null) return fail('the value is not valid UTF-8');
      return { value: `${toks[0]?.text ?? ''} ${toks[1]?.text ?? ''} ${quoteText(text)}`, priority: null };
    }
    case 'TXT': {
      if (toks.length === 0) return fail('no text');
      const text = tokensText(toks);
      if (text === null) return fail('the text is not valid UTF-8');
      return { value: text, priority: null, parts: toks.map((t) => decodeEscapes(t.text)) };
    }
  }
}
