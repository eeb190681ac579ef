import type * as z from 'zod';
import type { ToolDef } from './types.js';

/** The JSON Schemas of every tool as zod renders them, computed by the build (scripts/build.mjs). */
export type ToolJsonSchemas = Record<string, { input: unknown; output: unknown }>;

// Converting twenty zod schemas to JSON Schema on every start is most of what separates this
// server's cold start from a one-tool server's. The build computes them once and embeds them here;
// run from source (tests), this is undefined and the SDK converts as usual.
declare const __BUILD_TOOL_SCHEMAS__: string | undefined;
const EMBEDDED: ToolJsonSchemas | undefined = typeof __BUILD_TOOL_SCHEMAS__ === 'string' ? (JSON.parse(__BUILD_TOOL_SCHEMAS__) as ToolJsonSchemas) : undefined;

/** Exactly what the SDK would compute (zod's StandardJSONSchema at the SDK's target). */
export function toolJsonSchemas(tools: readonly ToolDef[]): ToolJsonSchemas {
  const target = { target: 'draft-2020-12' } as const;
  const json = (s: z.ZodObject, io: 'input' | 'output') => (s['~standard'] as unknown as { jsonSchema: Record<string, (o: typeof target) => unknown> }).jsonSchema[io]?.(target);
  return Object.fromEntries(tools.map((t) => [t.name, { input: json(t.input, 'input'), output: json(t.output, 'output') }]));
}

/**
 * The schema to register: the zod schema itself, or (in a build) a Standard Schema that validates
 * with zod but answers the JSON Schema from the embedded copy.
 */
export function withEmbeddedJson<S extends z.ZodObject>(tool: string, schema: S, io: 'input' | 'output'): S {
  const pre = EMBEDDED?.[tool]?.[io];
  if (pre === undefined) return schema;
  const std = schema['~standard'];
  return { '~standard': { ...std, jsonSchema: { input: () => pre, output: () => pre } } } as unknown as S;
}
