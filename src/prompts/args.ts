import * as z from 'zod';
import { isStrictIPv4, canonicalIPv6 } from '../domain/ip.js';

/** Prompt arguments are strings, and clients often send "" for an argument left empty: that means "not given". */
function blankToUndefined(v: unknown): unknown {
  return typeof v === 'string' && v.trim() === '' ? undefined : v;
}

const required = (what: string) => (iss: { input: unknown }) => (iss.input === undefined ? `is required: ${what}` : `must be text: ${what}`);

const DOMAIN_RE = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;

/** A text argument, trimmed; `check` returns a message when the value is wrong. */
export function text(what: string, check?: (v: string) => string | null) {
  return z.preprocess(
    blankToUndefined,
    z.string({ error: required(what) }).transform((v, ctx) => {
      const t = v.trim();
      const problem = check?.(t) ?? null;
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
      return t;
    }),
  );
}

export function optionalText(what: string, check?: (v: string) => string | null) {
  return z.preprocess(blankToUndefined, text(what, check).optional());
}

export const domainArg = z
  .preprocess(
    blankToUndefined,
    z.string({ error: required('the domain of the zone, e.g. example.com') }).transform((v, ctx) => {
      const d = v.trim().toLowerCase().replace(/\.$/, '');
      if (!DOMAIN_RE.test(d)) ctx.addIssue({ code: 'custom', message: `"${v.slice(0, 80)}" is not a domain name: give the zone's domain like example.com (no scheme, no path, no spaces)` });
      return d;
    }),
  )
  .describe('The domain of the zone at VPS.org, e.g. example.com.');

export function isHostname(v: string): boolean {
  return DOMAIN_RE.test(v.toLowerCase().replace(/\.$/, ''));
}

export const ipv4Check = (v: string) => (isStrictIPv4(v) ? null : `"${v.slice(0, 60)}" is not an IPv4 address (four numbers 0-255 without leading zeros, e.g. 203.0.113.10)`);
export const ipv6Check = (v: string) => (canonicalIPv6(v) ? null : `"${v.slice(0, 60)}" is not an IPv6 address (e.g. 2001:db8::10)`);

/** `true`/`false` (also yes/no, 1/0), since prompt arguments are strings. */
export function boolArg(dflt: boolean) {
  return z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return dflt;
        const t = v.trim().toLowerCase();
        if (/^(true|yes|1)$/.test(t)) return true;
        if (/^(false|no|0)$/.test(t)) return false;
        ctx.addIssue({ code: 'custom', message: `must be true or false (got "${v.slice(0, 20)}")` });
        return dflt;
      }),
  );
}

/** One of `values` (case-insensitive); required unless a default is given. */
export function choiceArg<const T extends readonly [string, ...string[]]>(values: T, dflt?: T[number]) {
  const list = values.join(', ');
  const pick = (v: string, ctx: z.RefinementCtx): T[number] => {
    const t = v.trim().toLowerCase();
    if ((values as readonly string[]).includes(t)) return t as T[number];
    ctx.addIssue({ code: 'custom', message: `must be one of ${list} (got "${v.slice(0, 40)}")` });
    return values[0];
  };
  const base = z.string({ error: required(`one of ${list}`) });
  if (dflt === undefined) return z.preprocess(blankToUndefined, base.transform(pick));
  return z.preprocess(blankToUndefined, base.optional().transform((v, ctx) => (v === undefined ? dflt : pick(v, ctx))));
}

/** Printable ASCII only: a value that ends up in a DNS record and in the model's instructions. */
export function printable(max: number) {
  return (v: string) => {
    if (v.length > max) return `is ${v.length} characters long; at most ${max}`;
    if (/[^\x20-\x7e]/.test(v)) return 'may hold printable ASCII characters only (no line breaks, tabs or other control or non-ASCII characters)';
    return null;
  };
}
