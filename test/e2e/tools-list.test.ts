import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

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

it('no schema uses a `type` array (nullable fields are anyOf branches, portable to single-type dialects)', async () => {
  const { tools } = await h.client.listTools();
  const arrays: string[] = [];
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}[${i}]`));
    if (node === null || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (Array.isArray(o['type']) && !path.endsWith('.properties')) arrays.push(path);
    for (const [k, v] of Object.entries(o)) walk(v, `${path}.${k}`);
  };
  for (const t of tools) walk({ input: t.inputSchema, output: t.outputSchema }, t.name);
  expect(arrays).toEqual([]);
});
