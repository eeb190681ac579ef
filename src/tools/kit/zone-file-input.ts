/**
 * A zone file as the desired state of a zone (issue 22.2): one reading for import_zone_file and
 * for the `zone_file` of plan_zone / apply_zone, so the three plan the same records.
 */
import * as z from 'zod';
import { ValidationError } from '../../errors.js';
import { parseZoneFile, type ParsedZone } from '../../domain/zonefile.js';
import { handOffValue } from '../../domain/values.js';
import { fqdn } from '../../domain/names.js';
import { dataBlock } from '../../domain/display.js';
import type { Problem } from '../../errors.js';
import { providerNsNames } from '../../dns/zone-soa.js';
import type { Config } from '../../config.js';
import { specOutOf } from './output.js';
import type { ZoneRef } from './resolve.js';
import type { ToolContext } from './types.js';
import { computePlan, type PlanMode, type ZonePlan } from './plan.js';
import { reshapedWarnings } from '../../domain/txt-cuts.js';
import type { RecordInputLike } from '../../domain/model.js';

export const zoneFileArg = z.string().min(1).max(2_000_000);
export const keepApexNsArg = z.boolean().optional().describe("zone_file: keep apex NS that are not the provider's (left out by default).");

export type DesiredSpec = ReturnType<typeof specOutOf>;

export interface ZoneFileDesire {
  /** Canonical names (computePlan's `names: 'canonical'`), values in the tools' input form (TXT quoting as apply_zone reads it). */
  records: DesiredSpec[];
  parsed: ParsedZone;
  /** The apex NS hosts left out (not the provider's), and the note that names them. */
  leftOutNs: string[];
  notes: string[];
}

/**
 * Issue 22.4: a previous host's zone file names its own nameservers at the apex (ns1.oldhost.net.).
 * Once the zone is served here those contradict the parent's delegation, so they are left out
 * unless the caller keeps them; the provider's own are kept (they are what the parent should say).
 */
export function zoneFileDesire(text: string, ref: ZoneRef, config: Pick<Config, 'nameservers'>, keepApexNs = false): ZoneFileDesire {
  const parsed = parseZoneFile(text, ref.domain);
  if (parsed.problems.length) throw zoneFileProblems(parsed.problems);
  const provider = new Set(providerNsNames(config).map((h) => h.toLowerCase()));
  const foreign = (r: { name: string; record_type: string; value: string }) =>
    !keepApexNs && r.name === '@' && r.record_type === 'NS' && !provider.has(fqdn(r.value.toLowerCase(), ref.domain));
  const leftOutNs = parsed.records.filter(foreign).map((r) => r.value);
  const records = parsed.records.filter((r) => !foreign(r)).map((r) => ({ ...specOutOf(r), value: handOffValue(r.record_type, r.value) }));
  const notes = leftOutNs.length
    ? [`Left out ${leftOutNs.length} apex NS record${leftOutNs.length === 1 ? '' : 's'} that are not the provider's nameservers (they would contradict the delegation; keep_apex_ns: true keeps them):\n${dataBlock(leftOutNs, 'zone file data')}`]
    : [];
  return { records, parsed, leftOutNs, notes };
}

/** The parser's problems name the file's own text (owners, values, types): all of them quoted, with the line each is on. */
function zoneFileProblems(problems: Problem[]): ValidationError {
  const n = problems.length;
  return new ValidationError(problems, '', `The zone file has ${n} problem${n === 1 ? '' : 's'}, quoted below by line: fix ${n === 1 ? 'it' : 'them'} and call again. Nothing was sent.`, 'zone file problems');
}

export interface DesiredArgs {
  zone: string;
  mode: PlanMode;
  records?: RecordInputLike[] | undefined;
  zone_file?: string | undefined;
  keep_apex_ns?: boolean | undefined;
}

/** The plan of plan_zone / apply_zone: from `records`, or from `zone_file` read as import_zone_file reads it. */
export async function planOfArgs(ctx: ToolContext, a: DesiredArgs): Promise<ZonePlan> {
  if ((a.records === undefined) === (a.zone_file === undefined) || (a.records && a.keep_apex_ns !== undefined)) {
    const field = a.records && a.zone_file === undefined ? 'keep_apex_ns' : 'records';
    throw new ValidationError([{ field, rule: 'one_of', message: field === 'records' ? 'give either `records` or `zone_file`' : 'keep_apex_ns applies to `zone_file` only' }]);
  }
  if (a.records) return computePlan(ctx, a.zone, a.records, a.mode);
  const ref = await ctx.zones.resolve(a.zone);
  const d = zoneFileDesire(a.zone_file as string, ref, ctx.config, a.keep_apex_ns);
  const plan = await computePlan(ctx, ref.uuid, d.records, a.mode, { names: 'canonical' });
  const { skipped } = d.parsed;
  const shown = skipped.slice(0, 3).map((s) => `line ${s.line} ${s.type}`).concat(skipped.length > 3 ? ['...'] : []);
  if (skipped.length) plan.notes.push(`${skipped.length} zone file record${skipped.length === 1 ? '' : 's'} skipped (SOA or a type the provider lacks):\n${dataBlock(shown, 'zone file data')}`);
  plan.notes.push(...d.notes);
  plan.warnings.unshift(...reshapedWarnings(d.parsed.reshaped));
  return plan;
}
