/**
 * The schema portability rules of the MCP Inspector CLI's `--strict` check (its core/json/schemaLint.ts,
 * @modelcontextprotocol/inspector 2.12), said again here so that `npm test` holds every tool's input
 * AND output schema to them without spawning the Inspector (which runs only in the external suite).
 * test/unit/schema-lint.test.ts checks that this agrees with the Inspector's own code, finding for finding.
 */
export interface SchemaFinding {
  rule: 'boolean-schema' | 'type-union' | 'remote-ref' | 'untyped-schema';
  severity: 'error' | 'warning';
  schema: 'inputSchema' | 'outputSchema';
  path: string;
}
type Json = Record<string, unknown>;

// Where a bare `true`/`false` is an ordinary value, not a schema that accepts (or refuses) anything.
const BOOLEAN_VALUED = new Set(['additionalProperties', 'unevaluatedProperties', 'additionalItems', 'unevaluatedItems']);
const SUB = ['items', 'contains', 'not', 'propertyNames', 'if', 'then', 'else', ...BOOLEAN_VALUED, 'contentSchema'];
const SUB_ARRAY = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SUB_MAP = ['properties', 'patternProperties', 'dependentSchemas', 'dependencies', '$defs', 'definitions'];
// A schema with none of these accepts any value; `if` constrains only with `then` or `else`.
const CONSTRAINING = new Set([
  ...['type', 'enum', 'const', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength', 'pattern', 'format'],
  ...['contentMediaType', 'contentEncoding', 'contentSchema', 'maxItems', 'minItems', 'uniqueItems', 'maxContains', 'minContains', 'maxProperties', 'minProperties'],
  ...['required', 'dependentRequired', 'allOf', 'anyOf', 'oneOf', 'not', 'items', 'prefixItems', 'contains', 'additionalItems', 'unevaluatedItems', 'properties'],
  ...['patternProperties', 'additionalProperties', 'unevaluatedProperties', 'propertyNames', 'dependentSchemas', 'dependencies', '$ref', '$dynamicRef', '$recursiveRef'],
]);
const TYPES = new Set(['null', 'boolean', 'object', 'array', 'number', 'string', 'integer']);
const MAX_DEPTH = 64;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const child = (parent: string, key: string) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? (parent === '' ? key : `${parent}.${key}`) : `${parent}[${JSON.stringify(key)}]`);

function eachSubschema(node: Json, path: string, visit: (sub: unknown, path: string, keyword: string) => void): void {
  for (const key of SUB_MAP) if (isObject(node[key])) for (const [name, sub] of Object.entries(node[key])) visit(sub, child(child(path, key), name), key);
  for (const key of SUB_ARRAY) if (Array.isArray(node[key])) node[key].forEach((sub, i) => visit(sub, `${child(path, key)}[${i}]`, key));
  for (const key of SUB) {
    if (!(key in node)) continue;
    const v = node[key];
    if (key === 'items' && Array.isArray(v)) v.forEach((sub, i) => visit(sub, `${child(path, key)}[${i}]`, key));
    else visit(v, child(path, key), key);
  }
}

function declaresId(node: unknown, depth = 0): boolean {
  if (depth > MAX_DEPTH || !isObject(node)) return false;
  if (typeof node['$id'] === 'string' && node['$id'] !== '') return true;
  let found = false;
  eachSubschema(node, '', (sub) => (found ||= declaresId(sub, depth + 1)));
  return found;
}

/** Every finding in one schema (empty: as portable as the Inspector's --strict check asks). */
export function lintSchema(root: unknown, schema: SchemaFinding['schema']): SchemaFinding[] {
  const out: SchemaFinding[] = [];
  const add = (rule: SchemaFinding['rule'], path: string) => out.push({ rule, severity: rule === 'boolean-schema' ? 'error' : 'warning', schema, path });
  const embeddedIds = declaresId(root);
  const walk = (node: unknown, path: string, keyword: string | undefined, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    if (typeof node === 'boolean') return void (keyword !== undefined && BOOLEAN_VALUED.has(keyword) ? undefined : add('boolean-schema', path));
    if (!isObject(node)) return;
    const type = node['type'];
    if (Array.isArray(type) && type.length > 0 && type.every((t) => typeof t === 'string' && TYPES.has(t)) && new Set(type).size === type.length) add('type-union', path);
    const ref = node['$ref'];
    if (typeof ref === 'string' && ref !== '' && !ref.startsWith('#') && !embeddedIds) add('remote-ref', path);
    const constrains = Object.keys(node).some((k) => CONSTRAINING.has(k)) || ('if' in node && ('then' in node || 'else' in node));
    if (!constrains && keyword !== 'not') add('untyped-schema', path);
    eachSubschema(node, path, (sub, p, k) => walk(sub, p, k, depth + 1));
  };
  walk(root, '', undefined, 0);
  return out;
}

/** Every finding in the input and output schemas of each tool, per tool (tools without one left out). */
export function lintTools(tools: ReadonlyArray<{ name: string; inputSchema?: unknown; outputSchema?: unknown }>): Array<{ toolName: string; findings: SchemaFinding[] }> {
  return tools
    .map((t) => ({ toolName: t.name, findings: [...(t.inputSchema !== undefined ? lintSchema(t.inputSchema, 'inputSchema') : []), ...(t.outputSchema !== undefined ? lintSchema(t.outputSchema, 'outputSchema') : [])] }))
    .filter((r) => r.findings.length > 0);
}
