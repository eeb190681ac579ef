import type * as z from 'zod';
import type { StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import type { ToolDef, ToolMeta } from './types.js';
import { portableSchema } from './portable-schema.js';

/** A tool as tools/list shows it and the policy selects it: everything but its implementation. */
export interface CatalogEntry extends ToolMeta {
  inputJson: unknown;
  outputJson: unknown;
}

/** A tool ready to register: its metadata and schemas now, its implementation when first called. */
export interface ToolEntry extends ToolMeta {
  input: StandardSchemaWithJSON;
  output: StandardSchemaWithJSON;
  load(): Promise<ToolDef>;
}

const target = { target: 'draft-2020-12' } as const;
const emitted = (s: z.ZodObject, io: 'input' | 'output') => portableSchema((s['~standard'] as unknown as { jsonSchema: Record<string, (o: typeof target) => Record<string, unknown>> }).jsonSchema[io]?.(target));

/**
 * The model reads every input schema on every turn: `$schema` (57 bytes a tool) tells it nothing,
 * and 2020-12 is what MCP assumes without it. Output schemas, read by programs, keep it.
 */
function json(s: z.ZodObject, io: 'input' | 'output'): unknown {
  const schema = emitted(s, io);
  if (io === 'output' || !schema) return schema;
  const { $schema: _, ...rest } = schema;
  return rest;
}

/** The build step (scripts/tool-catalog.ts): every tool's metadata, and its JSON Schemas exactly as the SDK would compute them. */
export function toolCatalog(tools: readonly ToolDef[]): CatalogEntry[] {
  return tools.map(({ name, title, description, toolset, essential, permission, hints, appOnly, input, output }) => ({
    name,
    title,
    description,
    toolset,
    ...(essential ? { essential } : {}),
    ...(permission ? { permission } : {}),
    hints,
    ...(appOnly ? { appOnly } : {}),
    inputJson: json(input, 'input'),
    outputJson: json(output, 'output'),
  }));
}

/**
 * The input schema the SDK sees: it publishes the tool's JSON Schema and lets every argument
 * object through, so that validation happens once, in runTool, for MCP and the CLI alike, and a
 * bad argument gets the same error there (field, rule, nearest valid name, as data in _meta).
 */
function validatedByRunTool(json: () => unknown): StandardSchemaWithJSON {
  return {
    '~standard': {
      version: 1,
      vendor: 'vpsorg-dns-mcp',
      validate: (value: unknown) => ({ value }),
      jsonSchema: { input: () => json() as Record<string, unknown>, output: () => json() as Record<string, unknown> },
    },
  };
}

/** A schema that validates as `schema` does and describes itself portably (see portable-schema.ts). */
function portable(schema: StandardSchemaWithJSON): StandardSchemaWithJSON {
  const std = schema['~standard'];
  const { input, output } = std.jsonSchema;
  return { '~standard': { ...std, jsonSchema: { input: (o) => portableSchema(input(o)), output: (o) => portableSchema(output(o)) } } };
}

/** Arguments only HTTP needs: budget_token carries a zone's change budget between replicas; one stdio process counts it itself. */
const HTTP_ONLY_ARGS: readonly string[] = ['budget_token'];

/** The tool as a client of `transport` sees it: without the arguments only another transport needs (runTool still accepts them). */
export function offeredOver(entry: ToolEntry, transport: 'stdio' | 'http' | 'cli'): ToolEntry {
  if (transport === 'http') return entry;
  const schema = entry.input['~standard'].jsonSchema.input(target) as { properties?: Record<string, unknown> };
  const props = schema.properties ?? {};
  if (!HTTP_ONLY_ARGS.some((k) => k in props)) return entry;
  const properties = Object.fromEntries(Object.entries(props).filter(([k]) => !HTTP_ONLY_ARGS.includes(k)));
  return { ...entry, input: validatedByRunTool(() => ({ ...schema, properties })) };
}

/** A tool already loaded (run from source, or passed in): registered with its own zod schemas. */
export function loadedEntry(def: ToolDef): ToolEntry {
  return { ...def, input: validatedByRunTool(() => json(def.input, 'input')), output: portable(def.output), load: () => Promise.resolve(def) };
}

// Importing the tools (their zod schemas, the domain code behind them) is most of what separates this
// server's cold start from a one-tool server's. The build embeds the catalog instead; each tool's
// implementation (one chunk for all) is imported at the first call, or the first validation.
declare const __BUILD_TOOL_CATALOG__: string | undefined;

let implementations: Promise<ReadonlyMap<string, ToolDef>> | undefined;

async function implementation(name: string): Promise<ToolDef> {
  implementations ??= import('../index.js').then(
    ({ ALL_TOOLS }) => new Map(ALL_TOOLS.map((t) => [t.name, t])),
    (err: unknown) => {
      implementations = undefined; // a failed load is retried by the next call, not remembered
      throw err;
    },
  );
  const def = (await implementations).get(name);
  if (!def) throw new Error(`tool ${name} is in the build's catalog but not in the code`);
  return def;
}

/** A Standard Schema that answers the embedded JSON Schema and validates with the tool's zod schema (Standard Schema validation may be async). */
function lazySchema(name: string, io: 'output', json: unknown): StandardSchemaWithJSON {
  return {
    '~standard': {
      version: 1,
      vendor: 'zod',
      validate: async (value: unknown) => (await implementation(name))[io]['~standard'].validate(value),
      jsonSchema: { input: () => json as Record<string, unknown>, output: () => json as Record<string, unknown> },
    },
  };
}

/** A tool from the build's catalog: the implementation, and the zod schemas that validate, load at first use. */
export function lazyEntry({ inputJson, outputJson, ...meta }: CatalogEntry): ToolEntry {
  return { ...meta, input: validatedByRunTool(() => inputJson), output: lazySchema(meta.name, 'output', outputJson), load: () => implementation(meta.name) };
}

/** Every tool, in the order tools/list shows them: from the build's catalog, or (run from source) the tools themselves. */
export const TOOLS: readonly ToolEntry[] =
  typeof __BUILD_TOOL_CATALOG__ === 'string' ? (JSON.parse(__BUILD_TOOL_CATALOG__) as CatalogEntry[]).map(lazyEntry) : (await import('../index.js')).ALL_TOOLS.map(loadedEntry);
