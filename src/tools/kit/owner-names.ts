/**
 * Owner names as agents write them (issue 12.2), read once for every tool that takes a name: the
 * rules are domain/names.ts readOwnerName; this adds the account's zones (listed only when a name
 * needs them) and turns refusals into one validation error naming every field at fault.
 */
import { ValidationError, type Problem } from '../../errors.js';
import { needsZoneList, readOwnerName } from '../../domain/names.js';
import type { ZoneRef, ZoneResolver } from './resolve.js';

export interface NameInput {
  field: string;
  name: string;
}

const MAX_NOTES = 3;

/** Notes stay bounded: a plan of 2,000 full names says so once, with examples. */
function boundedNotes(notes: string[], zone: string): string[] {
  if (notes.length <= MAX_NOTES) return notes;
  return [`${notes.length} names were written in full and read relative to the zone ${zone}, e.g. ${notes.slice(0, 2).join('; ')}`];
}

/** The canonical names of `inputs` (in order) and the notes to show; throws every refusal at once, before anything is sent. */
export async function readNames(zones: ZoneResolver, zone: ZoneRef, inputs: NameInput[]): Promise<{ names: string[]; notes: string[] }> {
  const others = inputs.some((i) => needsZoneList(i.name, zone.domain)) ? (await zones.visibleZones()).map((z) => z.domain) : [];
  const names: string[] = [];
  const notes: string[] = [];
  const problems: Problem[] = [];
  for (const { field, name } of inputs) {
    const r = readOwnerName(name, zone.domain, others);
    if (r.ok) {
      names.push(r.name);
      if (r.note) notes.push(r.note);
    } else {
      names.push(name);
      problems.push({ field, rule: r.rule, message: r.message });
    }
  }
  if (problems.length === 1) throw new ValidationError(problems, '', `${problems[0]?.message} Nothing was sent.`);
  if (problems.length) throw new ValidationError(problems, `Names outside ${zone.domain} (nothing was sent)`);
  return { names, notes: boundedNotes(notes, zone.domain) };
}

/** One name: its canonical form and the note, if it was written in full. */
export async function readName(zones: ZoneResolver, zone: ZoneRef, name: string, field = 'name'): Promise<{ name: string; notes: string[] }> {
  const { names, notes } = await readNames(zones, zone, [{ field, name }]);
  return { name: names[0] as string, notes };
}
