import * as z from 'zod';
import { defineTool } from '../kit/types.js';
import * as SAY from '../kit/texts.js';
import { dataBlock } from '../kit/format.js';
import { nameArg, recordTypeArg, zoneArg } from '../kit/schemas.js';
import { readName } from '../kit/resolve.js';
import { UserError, ValidationError } from '../../errors.js';
import { isInZone, normaliseName } from '../../domain/model.js';
import * as dns from '../../dns/index.js';
import type { NameserverAddress } from '../../dns/index.js';
import { fit, omittedNote } from '../kit/budget.js';
import { collapsed, nameserverAddresses } from '../kit/propagation-targets.js';
import { propagationOut } from '../kit/propagation-out.js';
import { previewAddress, previewOf } from '../kit/preview.js';
import type { ApiRecordLike } from '../../dns/index.js';
import { POLL_INTERVAL_MS, expectationsDigest, resumeHandle, resumeText, waitWindow } from '../kit/propagation-wait.js';

/** Record sets checked at once in whole-zone mode (each asks every nameserver); measured by `npm run bench`. */
export const ZONE_CHECK_CONCURRENCY = 16;

// The hosts come from the zone's apex NS records, written by whoever edits the zone: inside a block.
const unresolvedText = (errors: Array<{ host: string; error: string }>) =>
  errors.length ? `\nNot checked (no address):\n${dataBlock(errors.map((e) => `${e.host}: ${e.error}`))}` : '';

type Args = { zone: string; name?: string | undefined; record_type?: string | undefined; expected?: string[] | undefined; nameservers?: string | undefined };
type Target = Omit<Args, 'zone'> & { sets?: string };

/** What to check: the arguments, or, when resuming, what the wait recorded (the arguments may then name only the zone). */
function targetOf(args: Args, domain: string, resumed: Record<string, unknown> | null): Target {
  if (!resumed) return args;
  const extra = (['name', 'record_type', 'expected', 'nameservers'] as const).filter((k) => args[k] !== undefined);
  if (extra.length || resumed['zone'] !== domain) {
    const field = extra[0] ?? 'zone';
    throw new ValidationError([{ field, rule: 'resume', message: `resume continues the wait it was issued for (zone ${String(resumed['zone'])}, same expectations): pass only zone and resume, or leave out resume to start a new check` }]);
  }
  return resumed as Target;
}

const OP = 'check_propagation';

export const checkPropagationTool = defineTool({
  name: OP,
  title: 'Check DNS propagation',
  description:
    'Asks every authoritative nameserver address directly (recursion off) whether it serves a record set, or every set of the zone, as expected: per server in_sync / pending / error, values, TTL, SOA serial. wait_seconds polls until propagated; a call waits at most VPSORG_MAX_INLINE_WAIT_S (45 s), then returns a `resume` handle to continue with. If your client gives up on a call sooner, pass a wait_seconds below its time-out and call again.',
  toolset: 'propagation',
  essential: true,
  permission: 'dns:list',
  input: z.object({
    zone: zoneArg,
    name: nameArg.optional().describe(`${SAY.NAME} Leave out: every set.`),
    record_type: recordTypeArg.optional().describe('Required with name.'),
    expected: z.array(z.string().max(4096)).max(100).optional().describe('Values that should be served (MX/SRV may lead with the priority); default: what the API holds; []: the name should not exist.'),
    nameservers: z.string().max(2000).optional().describe('Ask these instead: comma list of host, host:port, ip, ip:port or host=ip:port.'),
    wait_seconds: z.number().int().min(0).max(600).optional().describe('Poll until in sync, at most this long (default 0: check once).'),
    resume: z.string().max(200_000).optional().describe('The resume handle of an earlier result (with zone only): continues that wait.'),
    preview: z.string().max(64).optional().describe('A preview id (plan_zone): check the planned zone instead.'),
  }),
  output: propagationOut,
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, ctx) {
    const window = waitWindow(ctx, OP, args);
    const zone = await ctx.zones.resolve(args.zone);
    const t = targetOf(args, zone.domain, window.resumed);
    if (t.name !== undefined && !t.record_type) {
      throw new ValidationError([{ field: 'record_type', rule: 'required', message: 'give record_type with name (or leave out name to check the whole zone)', example: 'A' }]);
    }
    // Names as agents write them (www.google.com is refused with a question) before any DNS traffic; a resumed wait carries the name already read.
    const owner = t.name === undefined || window.resumed ? t.name : (await readName(ctx.zones, zone, t.name)).name;
    const pv = args.preview === undefined ? undefined : previewOf(ctx, args.preview, zone);
    const conflict = (['nameservers', 'wait_seconds', 'resume'] as const).find((k) => pv && args[k] !== undefined);
    if (conflict) throw new ValidationError([{ field: conflict, rule: 'exclusive', message: 'a preview is checked on its own nameserver, which serves it at once: leave out nameservers, wait_seconds and resume' }]);
    const live = pv ? [] : (await ctx.api.listZoneRecords(zone.uuid)).items;
    const records: Array<ApiRecordLike & { name: string }> = pv ? [...pv.data.records] : live;
    const { checkPropagation, checkZonePropagation, recordSets, renderPropagation, renderZonePropagation } = dns;
    const { addresses, errors, model } = pv
      ? { addresses: [await previewAddress(ctx, pv)], errors: [], model: new Set<string>() }
      : await nameserverAddresses(ctx, t.nameservers, live, zone.domain);
    const common = { nameservers: addresses as NameserverAddress[], signal: ctx.signal, waitSeconds: window.inlineSeconds, pollIntervalMs: POLL_INTERVAL_MS };
    const later = (done: boolean, elapsedMs: number, wait: Target) => {
      const handle = resumeHandle(ctx, OP, window, done, { ...wait, zone: zone.domain });
      return handle ? { fields: { resume: handle, resume_until: new Date(window.deadline).toISOString() }, text: `\n${resumeText(OP, handle, window, elapsedMs)}` } : { fields: {}, text: '' };
    };
    if (owner !== undefined && t.record_type) {
      const name = normaliseName(owner, zone.domain);
      // A name outside the zone would read another zone through the same nameservers, past VPSORG_ALLOWED_ZONES.
      if (!isInZone(name, zone.domain)) {
        throw new ValidationError([{ field: 'name', rule: 'in_zone', message: `must be at or below ${zone.domain} ("@", a relative name, or an FQDN ending in ${zone.domain})`, example: 'www' }]);
      }
      const type = t.record_type;
      const all = recordSets(records, zone.domain);
      const expected = t.expected ?? all.find((s) => s.name === name && s.recordType === type)?.expected ?? [];
      const result = collapsed(await checkPropagation({
        ...common,
        zone: zone.domain,
        name,
        recordType: type,
        expected,
        delegations: all.filter((s) => s.recordType === 'NS'),
        onProgress: (p) => ctx.progress({ progress: p.inSync, total: p.total, message: `round ${p.round}: ${p.inSync}/${p.total} nameservers in sync` }),
      }), model);
      const next = later(result.propagated, result.elapsed_ms, { name, record_type: type, expected, ...(t.nameservers ? { nameservers: t.nameservers } : {}) });
      return {
        structured: { zone: zone.domain, mode: 'record_set' as const, propagated: result.propagated, serials_agree: result.serials_agree, result, unresolved: errors, ...next.fields },
        text: renderPropagation(result) + unresolvedText(errors) + next.text,
      };
    }
    const sets = recordSets(records, zone.domain);
    // A whole zone's expectations are too large to carry: the handle holds their digest, and a zone edited since is refused.
    const digest = expectationsDigest(sets);
    if (t.sets !== undefined && t.sets !== digest) {
      throw new UserError(`The records of ${zone.domain} changed since this wait began, so it cannot continue with the same expectations. Nothing was checked.`, {
        code: 'resume_refused',
        field: 'resume',
        hint: 'Start a new wait for the zone as it is now: call check_propagation with zone and wait_seconds, without resume.',
      });
    }
    const zoneResult = await checkZonePropagation({
      ...common,
      zone: zone.domain,
      concurrency: ZONE_CHECK_CONCURRENCY,
      recordSets: sets,
      onProgress: (p) => ctx.progress({ progress: p.setsInSync, total: p.totalSets, message: `round ${p.round}: ${p.setsInSync}/${p.totalSets} record sets in sync` }),
    });
    const result = { ...zoneResult, sets: zoneResult.sets.map((set) => collapsed(set, model)) };
    // Counts cover every set; detail only for the sets not in sync, as many as fit the result budget.
    const lagging = fit(result.sets.filter((s) => !s.propagated), { json: (s) => s, text: (s) => dns.laggingLines(s).join('\n') });
    const more = omittedNote(lagging.page, 'record sets not in sync', ['check one with name and record_type'], { cursor: false });
    const next = later(result.propagated, result.elapsed_ms, { sets: digest, ...(t.nameservers ? { nameservers: t.nameservers } : {}) });
    return {
      structured: {
        zone: zone.domain,
        mode: 'zone' as const,
        propagated: result.propagated,
        serials_agree: result.serials_agree,
        sets: lagging.items,
        sets_page: lagging.page,
        sets_in_sync: result.sets_in_sync,
        total_sets: result.total_sets,
        unresolved: errors,
        ...next.fields,
      },
      text: renderZonePropagation(result, lagging.items) + (more ? `\n${more}` : '') + unresolvedText(errors) + next.text,
    };
  },
});
