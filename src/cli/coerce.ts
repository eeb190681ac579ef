/**
 * Shell flags -> a tool's argument object, typed by the tool's own input schema: `--ttl 300`
 * becomes the number 300 only because `ttl` is an integer there. Validation stays with the
 * tool (runTool), so a bad value gets the same message as from an MCP client.
 */
import { ConfigError } from '../errors.js';
import { nonNull, type JsonSchema } from './describe.js';
import { nearestName } from '../tools/kit/strict.js';

export class UsageError extends ConfigError {}

const TRUE = /^(true|yes|on|1)$/i;
const FALSE = /^(false|no|off|0)$/i;

function kind(schema: JsonSchema): string {
  const s = nonNull(schema);
  return Array.isArray(s.type) ? (s.type.find((t) => t !== 'null') ?? 'string') : (s.type ?? 'string');
}

function parseJson(flag: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${flag}: not valid JSON (${(err as Error).message}).`);
  }
}

/** One value in the parameter's type; a value that does not fit is passed on for the tool to reject. */
export function coerceValue(flag: string, schema: JsonSchema, text: string): unknown {
  if (text === 'null' && schema.anyOf?.some((s) => s.type === 'null')) return null;
  switch (kind(schema)) {
    case 'integer':
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text;
    case 'boolean':
      return TRUE.test(text) ? true : FALSE.test(text) ? false : text;
    case 'object':
      return parseJson(flag, text);
    case 'array':
      return text.trim().startsWith('[') ? parseJson(flag, text) : [coerceValue(flag, nonNull(schema).items ?? {}, text)];
    default:
      return text;
  }
}

const flagOf = (param: string) => `--${param.replaceAll('_', '-')}`;

/** `--record-type` and `--record_type` both name `record_type`. */
export function paramName(flag: string): string {
  return flag.replace(/^--/, '').replaceAll('-', '_');
}

export interface FlagHandler {
  /** Handles argv[i] when it is not a tool parameter; returns items used, 0 when unknown. */
  (argv: string[], i: number): number;
}

/**
 * Reads `--param value` pairs for the tool's parameters. Repeating an array parameter adds to
 * it; a boolean flag may stand alone (`--dry-run`). Other flags go to `other`.
 */
export function parseToolFlags(argv: string[], properties: Record<string, JsonSchema>, other: FlagHandler): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; ) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new UsageError(`Unexpected argument "${arg}": parameters are given as --name value.`);
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const name = paramName(flag);
    const schema = properties[name];
    if (!schema) {
      const used = other(argv, i);
      if (used === 0) {
        const near = nearestName(name, Object.keys(properties));
        const takes = `This tool takes: ${Object.keys(properties).map(flagOf).join(', ') || '(no parameters)'}.`;
        throw new UsageError(`Unknown parameter ${flag}${near ? `: did you mean ${flagOf(near)}?` : '.'} ${takes}`);
      }
      i += used;
      continue;
    }
    let text: string | undefined = eq > 0 ? arg.slice(eq + 1) : undefined;
    let used = 1;
    if (text === undefined) {
      const next = argv[i + 1];
      const isBool = kind(schema) === 'boolean';
      if (isBool && (next === undefined || !(TRUE.test(next) || FALSE.test(next)))) text = 'true';
      else if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new UsageError(`${flag} needs a value.`);
      else {
        text = next;
        used = 2;
      }
    }
    const value = coerceValue(flag, schema, text);
    if (kind(schema) === 'array' && Array.isArray(out[name]) && Array.isArray(value)) out[name] = [...(out[name] as unknown[]), ...value];
    else out[name] = value;
    i += used;
  }
  return out;
}
