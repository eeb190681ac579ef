/**
 * What the model reads of tools/list on every turn (name, title, description, input schema), from
 * the built server over stdio as a client receives it: the full set and the curated `essential` set
 * stay within their budgets, and a sentence is said once, not in tool after tool.
 */
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ESSENTIAL_BUDGET, FULL_BUDGET, builtToolBytes } from '../../scripts/bench/tool-bytes.js';
import { startHarness } from '../helpers/harness.js';

beforeAll(() => {
  if (!existsSync('dist/index.js')) throw new Error('dist/index.js is missing: run npm run build first (npm test does).');
});

describe('the tool list the model pays for', () => {
  it(`every tool: at most ${FULL_BUDGET} bytes`, async () => {
    const { tools, total } = await builtToolBytes();
    expect(tools.length).toBeGreaterThanOrEqual(23);
    expect(total, JSON.stringify(tools)).toBeLessThanOrEqual(FULL_BUDGET);
  });

  it(`VPSORG_TOOLSETS=essential: the everyday jobs, at most ${ESSENTIAL_BUDGET} bytes`, async () => {
    const { tools, total } = await builtToolBytes({ VPSORG_TOOLSETS: 'essential' });
    // List, change (create, or a whole set in one plan/apply), delete, see it served, take it back.
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['list_zones', 'list_records', 'create_record', 'apply_zone', 'delete_record', 'check_propagation', 'list_changes', 'undo_change']));
    expect(tools.filter((t) => t.name !== 'approve_plan').length).toBeLessThanOrEqual(9);
    expect(total, JSON.stringify(tools)).toBeLessThanOrEqual(ESSENTIAL_BUDGET);
  });
});

describe('said once', () => {
  it('no sentence of a tool description stands in another description (or twice in one)', async () => {
    const h = await startHarness();
    try {
      const { tools } = await h.client.listTools();
      const seen = new Map<string, string>();
      const repeated: string[] = [];
      for (const t of tools) {
        for (const sentence of (t.description ?? '').split(/(?<=[.!?])\s+/).filter((s) => s.length >= 40)) {
          const first = seen.get(sentence);
          if (first) repeated.push(`${first} and ${t.name}: ${sentence}`);
          else seen.set(sentence, t.name);
        }
      }
      expect(repeated).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it('budget_token (a zone budget shared by HTTP replicas) is offered over HTTP only; stdio still accepts it', async () => {
    const props = async (transport: 'stdio' | 'http') => {
      const h = await startHarness({ deps: { transport: { transport } } });
      try {
        const { tools } = await h.client.listTools();
        const create = tools.find((t) => t.name === 'create_record');
        const accepted = await h.call('create_record', { zone: 'example.com', record_type: 'TXT', name: `bt-${transport}`, value: 'x', budget_token: 'not-a-token', dry_run: true });
        return { names: Object.keys(create?.inputSchema.properties ?? {}), everywhere: tools.filter((t) => 'budget_token' in (t.inputSchema.properties ?? {})).length, accepted: accepted.isError ? accepted.text : 'ok' };
      } finally {
        await h.close();
      }
    };
    const stdio = await props('stdio');
    const http = await props('http');
    expect(stdio.everywhere).toBe(0);
    expect(stdio.names).toContain('confirm_token');
    expect(http.names).toContain('budget_token');
    expect(http.everywhere).toBeGreaterThanOrEqual(5);
    expect(stdio.accepted).toBe(http.accepted);
  });
});
