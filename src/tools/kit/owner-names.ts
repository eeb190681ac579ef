/**
 * Owner names as agents write them (issue 12.2), read once for every tool that takes a name: the
 * rules are domain/names.ts readOwnerName; this adds the account's zones (listed only when a name
 * needs them) and turns refusals into one validation error naming every field at fault.
 */
import { ValidationError, type Problem } from '../../errors.js';
import { isDottedRelative, needsZoneList, readOwnerName, writtenName } from '../../domain/names.js';
import { loadSuffixes, type SuffixLabels } from '../../domain/suffixes.js';
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

/** What reading these names needs: the suffix list and the account's zones, each fetched only when a name needs it. */
async function nameContext(zones: ZoneResolver, zone: ZoneRef, names: readonly string[]): Promise<{ others: string[]; suffixes?: SuffixLabels }> {
  const dotted = names.filter((n) => isDottedRelative(n, zone.domain));
  if (!dotted.length) return { others: [] };
  const suffixes = await loadSuffixes();
  const others = dotted.some((n) => needsZoneList(n, zone.domain, suffixes)) ? (await zones.visibleZones()).map((z) => z.domain) : [];
  return { others, suffixes };
}

/** Canonical names as an agent should hand them back to a tool that reads names (domain/names.ts writtenName). */
export async function writtenNames(zones: ZoneResolver, zone: ZoneRef, names: readonly string[]): Promise<string[]> {
  // A canonical name is relative, or absolute with its dot: ask about the relative form an agent would write.
  const { others, suffixes } = await nameContext(zones, zone, names);
  return names.map((n) => writtenName(n, zone.domain, others, suffixes));
}

/** The canonical names of `inputs` (in order) and the notes to show; throws every refusal at once, before anything is sent. */
export async function readNames(zones: ZoneResolver, zone: ZoneRef, inputs: NameInput[]): Promise<{ names: string[]; notes: string[] }> {
  const { others, suffixes } = await nameContext(zones, zone, inputs.map((i) => i.name));
  const names: string[] = [];
  const notes: string[] = [];
  const problems: Problem[] = [];
  for (const { field, name } of inputs) {
    const r = readOwnerName(name, zone.domain, others, suffixes);
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
