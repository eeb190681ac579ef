/**
 * test/helpers/schema-lint.ts, the Inspector's --strict schema rules that tools-list.test.ts holds
 * every tool to: each rule fails a deliberately bad schema, the portable spellings pass, and it finds
 * exactly what the Inspector's own code (taken from its installed build) finds, so the two cannot drift.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintSchema, lintTools, type SchemaFinding } from '../helpers/schema-lint.js';

const found = (schema: unknown, kind: SchemaFinding['schema'] = 'outputSchema') => lintSchema(schema, kind).map((f) => `${f.severity} ${f.rule} ${f.path}`);
const obj = (properties: Record<string, unknown>) => ({ type: 'object', properties, additionalProperties: false });

// Deliberately bad schemas, one rule (or a mix) each, at the depths a tool schema nests them.
const BAD: Record<string, unknown> = {
  // What audit_zone's output schema declared for a fix call's arguments (z.unknown()): any value.
  anyValue: obj({ fixes: { type: 'array', items: obj({ tool: { type: 'string' }, arguments: { type: 'object', additionalProperties: {} } }) } }),
  describedOnly: obj({ note: { description: 'anything' } }),
  typeArray: obj({ n: { type: ['integer', 'null'], minimum: 0 } }),
  booleanTrue: obj({ x: true, y: { anyOf: [{ type: 'string' }, true] } }),
  booleanFalseRoot: false,
  remoteRef: obj({ r: { $ref: 'https://example.com/s.json' } }),
  tuple: { type: 'array', items: [{ type: 'string' }, {}], prefixItems: [{ title: 't' }] },
  conditional: { if: { const: 1 }, then: {}, $defs: { a: { if: { type: 'string' } } } },
};
const GOOD: Record<string, unknown> = {
  freeForm: obj({ meta: { type: 'object', additionalProperties: true }, closed: { type: 'object', additionalProperties: false } }),
  nullable: obj({ n: { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'null' }], description: 'd' } }),
  never: obj({ gone: { not: {} } }),
  localRef: { $defs: { rr: obj({ v: { type: 'string' } }) }, type: 'array', items: { $ref: '#/$defs/rr' } },
  embeddedId: { $id: 'https://example.com/root', type: 'object', properties: { r: { $ref: 'https://example.com/root' } } },
  paired: { if: { required: ['a'] }, then: { required: ['b'] } },
};

describe('the --strict schema rules', () => {
  it('fail a deliberately bad schema, naming the rule and where', () => {
    expect(found(BAD['anyValue'])).toEqual(['warning untyped-schema properties.fixes.items.properties.arguments.additionalProperties']);
    expect(found(BAD['describedOnly'])).toEqual(['warning untyped-schema properties.note']);
    expect(found(BAD['typeArray'], 'inputSchema')).toEqual(['warning type-union properties.n']);
    expect(found(BAD['booleanTrue'])).toEqual(['error boolean-schema properties.x', 'error boolean-schema properties.y.anyOf[1]']);
    expect(found(BAD['booleanFalseRoot'])).toEqual(['error boolean-schema ']);
    expect(found(BAD['remoteRef'])).toEqual(['warning remote-ref properties.r']);
    expect(found(BAD['tuple'])).toEqual(['warning untyped-schema prefixItems[0]', 'warning untyped-schema items[1]']);
    expect(found(BAD['conditional'])).toEqual(['warning untyped-schema $defs.a', 'warning untyped-schema then']);
  });

  it('pass the portable spellings: a free-form object, anyOf with null, not {}, local and embedded refs, if with then', () => {
    for (const [name, schema] of Object.entries(GOOD)) expect(found(schema), name).toEqual([]);
  });

  it('a tool fails on its output schema as on its input schema', () => {
    const tools = [{ name: 'ok', inputSchema: GOOD['nullable'], outputSchema: GOOD['freeForm'] }, { name: 'audit', inputSchema: GOOD['nullable'], outputSchema: BAD['anyValue'] }];
    expect(lintTools(tools)).toEqual([{ toolName: 'audit', findings: [expect.objectContaining({ rule: 'untyped-schema', schema: 'outputSchema' })] }]);
  });
});

// The Inspector ships its rules inside its CLI bundle, not as a module: its schemaLint section is
// self-contained, so it runs here as it does in `--strict` (the external suite runs the CLI itself).
const BUNDLE = 'node_modules/@modelcontextprotocol/inspector/clients/cli/build/index.js';
function inspectorLint(): (tools: unknown[]) => Array<{ toolName: string; findings: SchemaFinding[] }> {
  const text = readFileSync(BUNDLE, 'utf8');
  const start = text.indexOf('// ../../core/json/schemaLint.ts\n');
  const end = text.slice(start + 1).search(/\n\/\/ \S+\.ts\n/);
  if (start < 0 || end < 0) throw new Error(`the Inspector's schemaLint section is not in ${BUNDLE}: update test/helpers/schema-lint.ts and this test to its new layout`);
  return new Function(`${text.slice(start, start + 1 + end)}\nreturn lintTools;`)() as ReturnType<typeof inspectorLint>;
}
const comparable = (results: Array<{ toolName: string; findings: SchemaFinding[] }>) => results.map((r) => ({ toolName: r.toolName, findings: r.findings.map(({ rule, severity, schema, path }) => ({ rule, severity, schema, path })) }));

describe('agreement with the MCP Inspector', () => {
  it('finds what the Inspector finds, on every schema above and on the reviewed tools/list snapshot', () => {
    const theirs = inspectorLint();
    const tools = [...Object.entries({ ...BAD, ...GOOD }).flatMap(([name, s]) => [{ name: `${name}-in`, inputSchema: s }, { name: `${name}-out`, outputSchema: s }])];
    const expected = comparable(theirs(tools));
    expect(expected.length).toBe(Object.keys(BAD).length * 2);
    expect(comparable(lintTools(tools))).toEqual(expected);
    const snapshot = JSON.parse(readFileSync('test/e2e/__snapshots__/tools-list.json', 'utf8')) as Array<{ name: string }>;
    expect(comparable(lintTools(snapshot))).toEqual(comparable(theirs(snapshot)));
  });
});
