import { describe, expect, it } from 'vitest';
import { ALL_TOOLS } from '../../src/tools/index.js';
import { lazyEntry, loadedEntry, toolCatalog, type ToolEntry } from '../../src/tools/kit/catalog.js';
import { selectTools } from '../../src/safety/policy.js';
import { TOOLSETS } from '../../src/config.js';

// The built server registers tools from the catalog the build embeds (lazyEntry); from source the
// tools register themselves. Both must list, select and validate alike.
const lazy = toolCatalog(ALL_TOOLS).map(lazyEntry);
const json = (t: ToolEntry, io: 'input' | 'output') => t[io]['~standard'].jsonSchema[io]({ target: 'draft-2020-12' });
const byName = (name: string) => ALL_TOOLS.find((t) => t.name === name)!;

describe('the tool catalog', () => {
  it('keeps every tool, in order, with its metadata and JSON Schemas', () => {
    expect(lazy.map((t) => t.name)).toEqual(ALL_TOOLS.map((t) => t.name));
    for (const t of lazy) {
      const def = byName(t.name);
      expect({ title: t.title, description: t.description, toolset: t.toolset, permission: t.permission, hints: t.hints }).toEqual({ title: def.title, description: def.description, toolset: def.toolset, permission: def.permission, hints: def.hints });
      // The same (portable) JSON Schemas as the tool registers when run from source.
      expect(json(t, 'input')).toEqual(json(loadedEntry(def), 'input'));
      expect(json(t, 'output')).toEqual(json(loadedEntry(def), 'output'));
    }
  });

  it('loads the implementation; inputs are left to runTool (one validation for MCP and the CLI), outputs validate with zod', async () => {
    for (const t of lazy) expect(await t.load()).toBe(byName(t.name));
    const get = lazy.find((t) => t.name === 'get_zone')!;
    const bad = { zone: 42, extra: true };
    expect(await get.input['~standard'].validate(bad)).toEqual({ value: bad });
    expect((await byName('get_zone').input['~standard'].validate(bad)).issues?.map((i) => i.path?.join('.') ?? '').sort()).toEqual(['', 'zone']);
    expect((await get.output['~standard'].validate({})).issues?.length).toBeGreaterThan(0);
  });

  it('selects the same tools as the definitions for every policy', () => {
    const configs = [
      { readOnly: true, toolsets: null },
      { readOnly: false, toolsets: new Set([TOOLSETS[0]]) },
      { readOnly: false, toolsets: null },
    ];
    for (const config of configs) {
      for (const permissions of [null, ['dns:list'], ['dns:list', 'dns:update']]) {
        const a = selectTools(lazy, config, permissions);
        const b = selectTools(ALL_TOOLS, config, permissions);
        expect(a.tools.map((t) => t.name)).toEqual(b.tools.map((t) => t.name));
        expect(a.notes).toEqual(b.notes);
      }
    }
  });
});
