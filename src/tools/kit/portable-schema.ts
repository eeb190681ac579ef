/**
 * JSON Schemas every client can read. zod writes a nullable field as `type: ["number", "null"]`:
 * legal, but clients that map tool schemas onto a single-`type` dialect (the OpenAPI subset of
 * Gemini function declarations, the Inspector's --strict check) reject or misread it. Here each
 * such field becomes `anyOf` branches with one `type` each; nothing else changes.
 */
type Json = Record<string, unknown>;

/** Keywords that describe the field as a whole and stay beside `anyOf`; the rest belong to a branch. */
const ANNOTATIONS = new Set(['description', 'title', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly', '$comment']);

function splitTypes(node: Json, types: unknown[]): Json {
  const outer: Json = {};
  const constraints: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'type') continue;
    (ANNOTATIONS.has(k) ? outer : constraints)[k] = v;
  }
  const branch = (t: unknown): Json => {
    if (t === 'null') return { type: 'null' };
    const b: Json = { type: t, ...constraints };
    if (Array.isArray(b['enum'])) b['enum'] = (b['enum'] as unknown[]).filter((v) => v !== null);
    return b;
  };
  return { anyOf: types.map(branch), ...outer };
}

/** A copy of `schema` with every `type: [...]` array split into `anyOf` branches, at any depth. */
export function portableSchema<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map((s: unknown) => portableSchema(s)) as T;
  if (schema === null || typeof schema !== 'object') return schema;
  const node: Json = {};
  for (const [k, v] of Object.entries(schema as Json)) node[k] = portableSchema(v);
  const type = node['type'];
  return (Array.isArray(type) ? (type.length === 1 ? { ...node, type: type[0] } : splitTypes(node, type)) : node) as T;
}
