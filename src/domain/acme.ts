/**
 * ACME DNS-01 (RFC 8555 section 8.4): the TXT record `_acme-challenge.<domain>` holds the
 * base64url SHA-256 digest of the key authorisation. A wildcard `*.example.com` is validated at
 * the same name as `example.com`, so one name can hold several values at once: each is added and
 * removed on its own, never as a set.
 */
import { createHash } from 'node:crypto';
import { ValidationError } from '../errors.js';
import { nameSyntaxProblems, normaliseZone } from './names.js';

export const ACME_LABEL = '_acme-challenge';
/** Short, so a value left behind by a crashed client is not cached for long. */
export const ACME_TTL = 60;

/** What the CA compares: base64url without padding (43 characters for a SHA-256 digest). */
const VALUE = /^[A-Za-z0-9_-]{16,128}$/;

export interface AcmeTarget {
  /** The name being certified, without a wildcard label (`example.com` for `*.example.com`). */
  domain: string;
  /** `_acme-challenge.example.com`, no trailing dot. */
  owner: string;
}

/**
 * `example.com`, `*.example.com`, `Example.COM.` -> owner `_acme-challenge.example.com`. A name
 * that already starts with `_acme-challenge.` (acme.sh and lego pass the record's own name) is
 * taken as that owner: no certificate can name a host with an underscore, so it is never a domain.
 */
export function acmeTarget(input: string, field = 'domain'): AcmeTarget {
  let d = normaliseZone(input);
  if (d.startsWith(`${ACME_LABEL}.`)) d = d.slice(ACME_LABEL.length + 1);
  if (d.startsWith('*.')) d = d.slice(2);
  const problems = d.includes('.') ? nameSyntaxProblems(`${ACME_LABEL}.${d}`, { wildcard: false }) : [{ rule: 'name_syntax', message: 'needs at least two labels' }];
  if (d.includes('*') || d.split('.').some((l) => l.startsWith('_'))) problems.push({ rule: 'name_syntax', message: 'a certificate name has no `*` except a leading `*.` and no `_` labels' });
  if (problems.length) {
    throw new ValidationError(problems.map((p) => ({ field, rule: p.rule, message: `"${input}" ${p.message}`, example: '*.example.com' })), 'Invalid ACME domain');
  }
  return { domain: d, owner: `${ACME_LABEL}.${d}` };
}

/** Refuses anything that is not a DNS-01 digest, so a TXT value can never carry other text. */
export function checkAcmeValue(value: string, field = 'value'): string {
  const v = value.trim();
  if (!VALUE.test(v)) {
    throw new ValidationError(
      [{ field, rule: 'acme_value', message: 'must be the DNS-01 validation string: base64url characters (A-Z a-z 0-9 - _), 16 to 128 long, as the ACME client gives it (CERTBOT_VALIDATION, lego\'s VALUE)', example: 'Xq0DWlyplN-8tuMbJlnJUvRVpqIRAdqb9KvRi4mHzu0' }],
      'Invalid ACME value',
    );
  }
  return v;
}

/** lego's RAW mode gives the key authorisation; the record holds its digest. */
export function keyAuthDigest(keyAuth: string): string {
  return createHash('sha256').update(keyAuth).digest('base64url');
}

/** The zone a name belongs to: the longest of `zones` that is the name or a suffix of it; null when none. */
export function longestSuffixZone<Z extends { domain: string }>(name: string, zones: readonly Z[]): Z | null {
  const n = normaliseZone(name);
  let best: Z | null = null;
  for (const z of zones) {
    const d = normaliseZone(z.domain);
    if ((n === d || n.endsWith(`.${d}`)) && (!best || d.length > normaliseZone(best.domain).length)) best = z;
  }
  return best;
}
