/**
 * The MCP Inspector CLI (an independent client, installed as a devDependency so CI has it
 * offline) against the built server in sandbox mode: it lists the tools and calls one.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALL_TOOLS } from '../../src/tools/index.js';

const run = promisify(execFile);
const INSPECTOR = 'node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js';

async function inspectorRun(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [INSPECTOR, '--cli', process.execPath, 'dist/index.js', '--sandbox', ...args], {
    timeout: 30_000,
    env: { PATH: process.env['PATH'] ?? '' },
  });
}

async function inspector(...args: string[]): Promise<unknown> {
  return JSON.parse((await inspectorRun(...args)).stdout);
}

beforeAll(() => {
  if (!existsSync('dist/index.js')) throw new Error('dist/index.js is missing: run npm run build first (npm test does).');
  if (!existsSync(INSPECTOR)) throw new Error(`${INSPECTOR} is missing: run npm install`);
});

describe('MCP Inspector CLI', () => {
  it('lists every tool with its annotations', async () => {
    const out = (await inspector('--method', 'tools/list')) as { tools: Array<{ name: string; annotations?: Record<string, unknown> }> };
    // approve_plan is listed only to clients that declare MCP Apps (issue 21 point 4); the Inspector does not.
    expect(out.tools.map((t) => t.name).sort()).toEqual(ALL_TOOLS.map((t) => t.name).filter((n) => n !== 'approve_plan').sort());
    for (const t of out.tools) expect(Object.keys(t.annotations ?? {}), t.name).toEqual(expect.arrayContaining(['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint']));
  });

  it('finds no schema portability problem with --strict (0 warnings, exit 0)', async () => {
    // --strict prints each problem as "Warning: tool ..." / "Error: tool ..." on stderr (exit 6 on errors);
    // the only other stderr lines are the sandbox's own banner.
    const { stderr } = await inspectorRun('--strict', '--method', 'tools/list');
    const problems = stderr.split('\n').filter((l) => /^(Warning|Error)\b|portab/i.test(l));
    expect(problems).toEqual([]);
    expect(stderr).toContain('Sandbox:');
  });

  it('calls a tool and gets the structured result', async () => {
    const out = (await inspector('--method', 'tools/call', '--tool-name', 'list_records', '--tool-arg', 'zone=example.com', '--tool-arg', 'record_type=MX')) as {
      isError?: boolean;
      structuredContent?: { records: Array<{ value: string; priority: number }> };
    };
    expect(out.isError).toBeFalsy();
    expect(out.structuredContent?.records.map((r) => `${r.priority} ${r.value}`).sort()).toEqual(['10 mail.example.com', '20 mail2.example.com']);
  });
});
