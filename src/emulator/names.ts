import { invalid } from './api-error.js';

// Name rules follow RFC 1035 section 2.3.1 (letter-digit-hyphen labels of 1-63 octets, names
// up to 253 characters in text form), loosened where the DNS itself is looser: record
// owner names may use underscore labels (RFC 8552: _dmarc, _sip._tcp) and a leading `*`.

const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const UNDERSCORE_LABEL = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/;

/** `Mail.Example.com.` -> `mail.example.com`: the form names are stored and compared in. */
export function bareName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** Quote user input in a message without letting a huge value swamp it. */
export function show(input: string): string {
  return JSON.stringify(input.length > 80 ? `${input.slice(0, 80)}…` : input);
}

function labelProblem(label: string, pattern: RegExp, allowedChars: string): string | undefined {
  if (label.length === 0) return 'has an empty label (two dots in a row or a leading dot)';
  if (label.length > 63) return `has a label longer than 63 characters (${show(label)})`;
  if (!pattern.test(label)) {
    return `has an invalid label ${show(label)}: labels may contain only ${allowedChars}, and must not start or end with a hyphen`;
  }
  return undefined;
}

/** Why `name` (already lowercased, no trailing dot) is not a valid hostname, or undefined. */
export function hostnameProblem(name: string, opts: { underscore?: boolean } = {}): string | undefined {
  if (name.length > 253) return 'is longer than 253 characters';
  const labels = name.split('.');
  if (labels.length < 2) return 'must be a fully qualified name with at least two labels, e.g. mail.example.com';
  const pattern = opts.underscore ? UNDERSCORE_LABEL : HOST_LABEL;
  const chars = opts.underscore ? 'letters, digits, hyphens and underscores' : 'letters, digits and hyphens';
  for (const label of labels) {
    const problem = labelProblem(label, pattern, chars);
    if (problem) return problem;
  }
  return undefined;
}

/** Validates and normalises a zone's domain (lowercase, no trailing dot). */
export function normalizeDomain(input: unknown): string {
  if (input === undefined || input === null || input === '') {
    throw invalid('domain', 'domain is required: the zone\'s domain name, e.g. example.com');
  }
  if (typeof input !== 'string') throw invalid('domain', 'Invalid domain name: domain must be a string such as example.com');
  const domain = bareName(input);
  let problem = hostnameProblem(domain);
  const tld = domain.split('.').at(-1) ?? '';
  if (!problem && /^\d+$/.test(tld)) problem = 'has an all-digit top-level label (an IP address is not a domain)';
  if (problem) throw invalid('domain', `Invalid domain name ${show(input)}: it ${problem}`);
  return domain;
}

/**
 * Normalises a record name relative to `zone`: `@` for the apex, relative labels otherwise.
 * A name with a trailing dot is absolute and must lie inside the zone; a name without one
 * is absolute only when it ends with the zone's domain, else it is relative.
 */
export function normalizeRecordName(input: unknown, zone: string): string {
  if (input === undefined || input === null || input === '') {
    throw invalid('name', 'name is required: use @ for the zone apex, a relative name such as www, or a name inside the zone');
  }
  if (typeof input !== 'string') throw invalid('name', 'name must be a string such as @ or www');
  const lower = input.toLowerCase();
  if (lower === '@') return '@';
  const absolute = lower.endsWith('.');
  const name = absolute ? lower.slice(0, -1) : lower;
  let relative: string;
  if (name === zone) return '@';
  if (name.endsWith(`.${zone}`)) relative = name.slice(0, -(zone.length + 1));
  else if (absolute) throw invalid('name', `name ${show(input)} is outside the zone ${zone}: use a relative name (e.g. www) or a name ending in .${zone}`);
  else relative = name;

  const labels = relative.split('.');
  for (const [i, label] of labels.entries()) {
    if (label === '*') {
      if (i === 0) continue;
      throw invalid('name', `name ${show(input)} is invalid: a wildcard * is allowed only as the leftmost label, e.g. *.www`);
    }
    const problem = labelProblem(label, UNDERSCORE_LABEL, 'letters, digits, hyphens and underscores');
    if (problem) throw invalid('name', `name ${show(input)} ${problem}`);
  }
  if (relative.length + 1 + zone.length > 253) {
    throw invalid('name', `name ${show(input)} is too long: the full name must be at most 253 characters`);
  }
  return relative;
}
