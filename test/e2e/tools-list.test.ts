import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { lintTools } from '../helpers/schema-lint.js';

let h: Harness;
beforeAll(async () => {
  // An MCP Apps client: the reviewed list includes the app-only approve_plan, which other clients are not shown.
  h = await startHarness({ apps: true });
});
afterAll(async () => {
  await h.close();
});

it('tools/list matches the reviewed snapshot (names, schemas, annotations)', async () => {
  const { tools } = await h.client.listTools();
  await expect(JSON.stringify(tools, null, 2) + '\n').toMatchFileSnapshot('./__snapshots__/tools-list.json');
});

it('every tool sets a title, all four hints, and describes every input field', async () => {
  const { tools } = await h.client.listTools();
  for (const t of tools) {
    expect(t.title, t.name).toBeTruthy();
    for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
      expect(typeof t.annotations?.[hint], `${t.name}.${hint}`).toBe('boolean');
    }
    const props = (t.inputSchema.properties ?? {}) as Record<string, { description?: string }>;
    for (const [field, schema] of Object.entries(props)) expect(schema.description, `${t.name}.${field}`).toBeTruthy();
    expect(t.outputSchema, t.name).toBeTruthy();
  }
});

it('every input and output schema passes the MCP Inspector\'s --strict portability rules (no type arrays, no any-value, no bare booleans, no remote refs)', async () => {
  // The Inspector itself runs only in the external suite (sandbox-inspector.test.ts); the same rules
  // here (test/helpers/schema-lint.ts) fail `npm test` on a regression such as an output field of any value.
  const http = await startHarness({ deps: { transport: { transport: 'http' } } });
  try {
    for (const list of [await h.client.listTools(), await http.client.listTools()]) expect(lintTools(list.tools)).toEqual([]);
  } finally {
    await http.close();
  }
});
