/**
 * The live mail checks (issue 25.2): each takes the zone, its records as the API lists them, the
 * live resolver and the options, and returns findings that each carry the call that fixes them.
 * The live audit (../index.ts) runs MAIL_CHECKS after its own; `spfReports` gives the SPF lookup
 * tree and evaluation per name for a detailed view.
 */
import type { AuditRecord } from '../../types.js';
import type { LiveFinding, LiveResolver } from '../types.js';
import type { MailOptions } from './options.js';
import { checkSpfLive } from './spf.js';
import { checkDmarcLive } from './dmarc.js';
import { checkDkimLive } from './dkim.js';
import { checkMxLive } from './mx.js';
import { checkMtaStsLive, checkTlsRptLive } from './mta-sts.js';
import { checkParkedLive } from './parked.js';

export type { MailOptions } from './options.js';
export { spfReports, checkSpfLive, type SpfReport } from './spf.js';
export { checkDmarcLive, checkDkimLive, checkMxLive, checkMtaStsLive, checkTlsRptLive, checkParkedLive };

export type MailCheck = (zone: string, records: readonly AuditRecord[], resolver: LiveResolver, opts: MailOptions) => Promise<LiveFinding[]>;

export const MAIL_CHECKS: readonly MailCheck[] = [checkSpfLive, checkDmarcLive, checkDkimLive, checkMxLive, checkMtaStsLive, checkTlsRptLive, checkParkedLive];

/** Every mail finding for the zone, the checks one after another (they share the resolver's memo and budget). */
export async function auditMail(zone: string, records: readonly AuditRecord[], resolver: LiveResolver, opts: MailOptions = {}): Promise<LiveFinding[]> {
  const out: LiveFinding[] = [];
  for (const check of MAIL_CHECKS) out.push(...(await check(zone, records, resolver, opts)));
  return out;
}
