/**
 * What `plan` and `apply` read from the repository: the zone files (one, or every <zone>.zone in
 * a folder), the rules for records managed elsewhere (flags plus `vpsorg-dns.json` beside the
 * zones), and for `--against` the committed export each zone is compared with.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { globProblem, type RecordRules } from '../domain/code-rules.js';
import { normaliseZone } from '../domain/names.js';
import { UsageError } from './coerce.js';
import type { CodeArgs } from './code-args.js';

export interface ZoneTarget {
  zone: string;
  /** The path as given (reports show it). */
  file: string;
  text: string;
}

/** The config file beside the zones: `{"protect": [...], "ignore": [...], "defaults": true}`. */
export const RULES_FILE = 'vpsorg-dns.json';
const ZONE_EXT = '.zone';

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`${what} ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
  }
}

const zoneOfFile = (path: string) => normaliseZone(basename(path).slice(0, -ZONE_EXT.length));

/** The `<zone>.zone` files of a folder, by zone name. */
async function zoneFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new UsageError(`--dir ${dir} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
  }
  return names.filter((n) => n.endsWith(ZONE_EXT) && n.length > ZONE_EXT.length).sort().map((n) => join(dir, n));
}

export async function readTargets(a: CodeArgs): Promise<ZoneTarget[]> {
  if (a.zoneFile) {
    if (!a.zone && !a.zoneFile.endsWith(ZONE_EXT)) throw new UsageError(`--zone-file ${a.zoneFile}: name the zone with --zone, or name the file <zone>.zone.`);
    return [{ zone: normaliseZone(a.zone ?? zoneOfFile(a.zoneFile)), file: a.zoneFile, text: await readText(a.zoneFile, '--zone-file') }];
  }
  const files = await zoneFiles(a.dir as string);
  if (!files.length) throw new UsageError(`--dir ${a.dir as string} holds no <zone>.zone files (vpsorg-dns-mcp export --dir ${a.dir as string} writes them).`);
  return Promise.all(files.map(async (f) => ({ zone: zoneOfFile(f), file: f, text: await readText(f, 'zone file') })));
}

/** The rules of the config file (when there is one) and the flags together. */
export async function readRules(a: CodeArgs): Promise<RecordRules> {
  const path = join(a.dir ?? dirname(a.zoneFile ?? '.'), RULES_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { protect: a.protect, ignore: a.ignore, defaults: true };
    throw new UsageError(`${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${path} is not valid JSON (${(err as Error).message}).`);
  }
  const bad = (why: string) => new UsageError(`${path}: ${why}. Expected {"protect": ["glob", ...], "ignore": ["glob", ...], "defaults": true}.`);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad('not a JSON object');
  const o = raw as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => !['protect', 'ignore', 'defaults'].includes(k));
  if (extra.length) throw bad(`unknown key ${extra.map((k) => `"${k}"`).join(', ')}`);
  const globs = (k: 'protect' | 'ignore'): string[] => {
    const v = o[k] ?? [];
    if (!Array.isArray(v) || v.some((g) => typeof g !== 'string')) throw bad(`"${k}" must be a list of globs`);
    const problem = (v as string[]).map(globProblem).find(Boolean);
    if (problem) throw bad(problem);
    return v as string[];
  };
  if (o['defaults'] !== undefined && typeof o['defaults'] !== 'boolean') throw bad('"defaults" must be true or false');
  return { protect: [...globs('protect'), ...a.protect], ignore: [...globs('ignore'), ...a.ignore], defaults: o['defaults'] !== false };
}

/** The committed export `zone` is compared with: the file given, or `<zone>.zone` in the folder given. */
export async function againstFile(against: string, zone: string, zoneCount: number): Promise<{ path: string; text: string }> {
  const isDir = await stat(against).then((s) => s.isDirectory(), () => false);
  if (!isDir && zoneCount > 1) throw new UsageError(`--against ${against}: with several zones, give a folder of <zone>.zone exports.`);
  const path = isDir ? join(against, `${zone}${ZONE_EXT}`) : against;
  return { path, text: await readText(path, '--against') };
}
