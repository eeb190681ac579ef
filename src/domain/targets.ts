import { normaliseZone } from './names.js';

/**
 * How a target hostname (CNAME/NS/MX/SRV) given without a trailing dot is read.
 * The provider's own docs write `mail.example.com` and mean it as absolute, so a dotted target is
 * absolute. That guess is dangerous when the writer meant a name inside the zone (DNSControl cites
 * a mail outage from it), so when the target could plausibly be relative we say which reading was
 * taken, and how to write the other one.
 */
export interface TargetReading {
  value: string;
  notes: string[];
}

/** True when `t`'s last labels repeat the zone's first labels (`mail.example` in `example.com`). */
function looksTruncated(labels: string[], zoneLabels: string[]): boolean {
  for (let k = 1; k < zoneLabels.length; k++) {
    const prefix = zoneLabels.slice(0, k);
    if (labels.length > k && labels.slice(-k).join('.') === prefix.join('.')) return true;
  }
  return false;
}

export function readTarget(raw: string, zone: string): TargetReading {
  const z = normaliseZone(zone);
  const t = raw.trim().toLowerCase();
  if (t === '' || t === '.') return { value: t, notes: [] };
  if (t === '@') return { value: `${z}.`, notes: [] };
  if (t.endsWith('.')) return { value: t, notes: [] };
  // Anything that is not a plain hostname is left for validation to report, unread.
  if (/\s/.test(t)) return { value: t, notes: [] };
  if (!t.includes('.')) {
    return {
      value: `${t}.${z}.`,
      notes: [`target "${raw.trim()}" has no dot: read as ${t}.${z}. (inside the zone); write ${t}.${z} to say so explicitly`],
    };
  }
  if (t === z || t.endsWith(`.${z}`)) return { value: `${t}.`, notes: [] };
  const labels = t.split('.');
  if (labels.length === 2 || looksTruncated(labels, z.split('.'))) {
    return {
      value: `${t}.`,
      notes: [`target "${raw.trim()}" read as ${t}. (absolute); write ${t}.${z} if you meant the name inside the zone`],
    };
  }
  return { value: `${t}.`, notes: [] };
}

/** The hostname as the provider writes it: no trailing dot (the root `.` stays `.`). */
export function apiHost(target: string): string {
  return target.length > 1 && target.endsWith('.') ? target.slice(0, -1) : target;
}
