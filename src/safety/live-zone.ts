/**
 * The live zone a write is planned against, read whole or not at all. A listing cut at the page
 * bound (api/pagination.ts: `truncated`) looks like a smaller zone: a record on a later page would
 * read as absent, so a plan would create a duplicate of it (create_record promises to leave an
 * identical record alone), miss a CNAME conflict with it, or sync it away. Every write plan reads
 * the zone here (write-gate.ts runs only such plans), and a cut listing is refused, as
 * delete_zone refuses to snapshot one.
 */
import { UserError } from '../errors.js';
import type { DnsRecord, VpsApi } from '../api/types.js';

export interface LiveZoneOptions {
  /** What to do instead, when the default (smaller steps, or the provider's panel) is not right. */
  hint?: string;
  /** What was not done, for the message ("Nothing was changed.", "Nothing was deleted."). */
  nothing?: string;
}

/** Every record of the zone, or a `too_large` refusal when the provider's listing was cut. */
export async function liveZoneForWrite(api: Pick<VpsApi, 'listZoneRecords'>, zone: { uuid: string; domain: string }, opts: LiveZoneOptions = {}): Promise<DnsRecord[]> {
  const { items, truncated } = await api.listZoneRecords(zone.uuid);
  if (!truncated) return items;
  throw new UserError(
    `${zone.domain} has more records than this server reads in one listing (VPS.org's listing was cut after ${items.length} records), so no change can be planned against the whole zone: a record further on would look absent. ${opts.nothing ?? 'Nothing was changed.'}`,
    {
      code: 'too_large',
      field: 'zone',
      hint: opts.hint ?? 'Make this change in the VPS.org panel: this server plans writes only against a zone it can read whole (at most 100 pages of the listing).',
      details: { records_read: items.length },
    },
  );
}
