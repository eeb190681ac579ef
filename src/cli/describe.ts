/**
 * Tool definitions described for people: the `tools` listing, the README table and the MCPB
 * manifest are all generated from here, so none of them can drift from the definitions.
 */
import * as z from 'zod';
import type { ToolDef } from '../tools/kit/types.js';

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  description?: string;
  minimum?: number;
  maximum?: number;
  default?: unknown;
}

export interface ParamInfo {
  name: string;
  /** e.g. `string`, `integer (60-604800)`, `A|AAAA|MX`, `string[]`. */
  type: string;
  required: boolean;
  description: string;
  schema: JsonSchema;
}

export function inputSchema(def: ToolDef): JsonSchema {
  return z.toJSONSchema(def.input, { io: 'input' }) as JsonSchema;
}

/** The schema without a `null` alternative (`anyOf: [T, null]` is how zod writes nullable). */
export function nonNull(schema: JsonSchema): JsonSchema {
  const alt = schema.anyOf?.find((s) => s.type !== 'null');
  if (!alt) return schema;
  const description = schema.description ?? alt.description;
  return description === undefined ? alt : { ...alt, description };
}

export function typeLabel(schema: JsonSchema): string {
  const s = nonNull(schema);
  if (s.enum) return s.enum.map(String).join('|');
  if (s.type === 'array') return `${s.items ? typeLabel(s.items) : 'any'}[]`;
  const base = Array.isArray(s.type) ? s.type.join('|') : (s.type ?? 'any');
  if ((base === 'integer' || base === 'number') && (s.minimum !== undefined || s.maximum !== undefined)) {
    return `${base} (${s.minimum ?? ''}-${s.maximum ?? ''})`;
  }
  return base;
}

export function toolParams(def: ToolDef): ParamInfo[] {
  const schema = inputSchema(def);
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, p]) => ({
    name,
    type: typeLabel(p),
    required: required.has(name),
    description: nonNull(p).description ?? p.description ?? '',
    schema: p,
  }));
}

/** The first sentence of a description: enough for a table row. */
export function firstSentence(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  // A sentence ends at . ! or ? before a capital letter or the end, but not in "e.g." or "i.e.".
  const re = /[.!?](?= [A-Z`(]|$)/g;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    if (!/\b(e\.g|i\.e|etc)$/.test(t.slice(0, m.index))) return t.slice(0, m.index + 1);
  }
  return t;
}

/** One word for what the tool may do, from its hints. */
export function effectLabel(def: ToolDef): string {
  if (def.hints.readOnlyHint) return 'read-only';
  if (def.hints.destructiveHint) return 'destructive';
  return 'writes';
}

/** The plain-text listing of `vpsorg-dns-mcp tools`. */
export function renderToolList(defs: readonly ToolDef[]): string {
  const blocks = defs.map((def) => {
    const head = `${def.name}  (${def.title}; ${effectLabel(def)})`;
    const params = toolParams(def).map((p) => `    --${p.name.replaceAll('_', '-')} ${p.type}${p.required ? ' (required)' : ''}: ${p.description.replace(/\s+/g, ' ')}`);
    return [head, `    ${firstSentence(def.description)}`, ...params].join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}
