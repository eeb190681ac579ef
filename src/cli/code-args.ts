/**
 * The flags of `plan`, `apply` and `export` (DNS as code, docs/dns-as-code.md). The global flags
 * (--sandbox, --state, --api-url, ...) are the same as for `call`.
 */
import { HUMAN_FOR_EFFECTS } from '../config.js';
import { globProblem } from '../domain/code-rules.js';
import { applyGlobalFlag, emptyArgs, splitFlag, type ParsedArgs } from './args.js';
import { UsageError } from './coerce.js';

export type CodeCommand = 'plan' | 'apply' | 'export';
export type Format = 'text' | 'markdown' | 'json';

export interface CodeArgs {
  command: CodeCommand;
  zoneFile: string | undefined;
  zone: string | undefined;
  dir: string | undefined;
  against: string | undefined;
  format: Format;
  expectNoChanges: boolean;
  checksum: string | undefined;
  /** Effect codes the operator accepts (`--confirm delete,ns`). */
  confirm: string[];
  browser: boolean;
  protect: string[];
  ignore: string[];
  globals: ParsedArgs;
}

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

function checkArgs(a: CodeArgs): void {
  const c = a.command;
  if (c === 'export') {
    if (!a.dir) throw new UsageError('export needs --dir DIR: the folder the zone files are written to (one <zone>.zone per zone).');
    if (a.zoneFile || a.against || a.checksum || a.confirm.length || a.expectNoChanges) throw new UsageError('export takes --dir, --zone (a comma list, to export only those), --protect and --ignore.');
    return;
  }
  if (!a.zoneFile === !a.dir) throw new UsageError(`${c} needs either --zone-file FILE (one zone) or --dir DIR (one <zone>.zone file per zone), not both.`);
  if (a.zone && !a.zoneFile) throw new UsageError('--zone names the zone of --zone-file; with --dir each file is named after its zone.');
  for (const g of [...a.protect, ...a.ignore]) {
    const p = globProblem(g);
    if (p) throw new UsageError(`--protect/--ignore: ${p}.`);
  }
  if (c === 'plan') {
    if (a.checksum || a.confirm.length || a.browser) throw new UsageError('--checksum, --confirm and --approve-in-browser belong to apply; plan changes nothing.');
    return;
  }
  if (a.against) throw new UsageError('apply compares with the live zones, never with --against: a committed export cannot say what the provider holds now.');
  if (a.format === 'markdown') throw new UsageError('apply prints text or json (--format); the Markdown plan comes from plan.');
  if (!a.checksum) throw new UsageError('apply needs --checksum DIGEST: the plan digest of the reviewed plan (the last line of `plan`), so that only that plan is applied.');
  if (!/^[0-9a-f]{64}$/.test(a.checksum)) throw new UsageError(`--checksum takes the 64 hex digits plan printed as "Plan digest" (got "${a.checksum}").`);
  const unknown = a.confirm.filter((x) => !(HUMAN_FOR_EFFECTS as readonly string[]).includes(x));
  if (unknown.length) throw new UsageError(`--confirm takes effect codes (${HUMAN_FOR_EFFECTS.join(', ')}); not ${unknown.map((u) => `"${u}"`).join(', ')}.`);
}

export function parseCodeArgs(command: CodeCommand, argv: string[]): CodeArgs {
  const a: CodeArgs = { command, zoneFile: undefined, zone: undefined, dir: undefined, against: undefined, format: 'text', expectNoChanges: false, checksum: undefined, confirm: [], browser: false, protect: [], ignore: [], globals: emptyArgs() };
  for (let i = 0; i < argv.length; ) {
    const { flag, inline } = splitFlag(argv[i] as string);
    let used = 1;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value.`);
      used = 2;
      return v;
    };
    if (flag === '--zone-file') a.zoneFile = value();
    else if (flag === '--zone') a.zone = value();
    else if (flag === '--dir') a.dir = value();
    else if (flag === '--against') a.against = value();
    else if (flag === '--checksum') a.checksum = value().trim().toLowerCase();
    else if (flag === '--confirm') a.confirm.push(...list(value()));
    else if (flag === '--protect') a.protect.push(...list(value()));
    else if (flag === '--ignore') a.ignore.push(...list(value()));
    else if (flag === '--expect-no-changes') a.expectNoChanges = true;
    else if (flag === '--approve-in-browser') a.browser = true;
    else if (flag === '--format') {
      const f = value();
      if (f !== 'text' && f !== 'markdown' && f !== 'json') throw new UsageError(`--format takes text, markdown or json (got "${f}").`);
      a.format = f;
    } else {
      used = applyGlobalFlag(a.globals, argv, i);
      if (used === 0) throw new UsageError(`Unknown argument "${argv[i] as string}" for ${command}. Run vpsorg-dns-mcp --help (DNS as code: docs/dns-as-code.md).`);
    }
    i += used;
  }
  checkArgs(a);
  return a;
}
