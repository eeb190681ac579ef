/**
 * The source's layers: a module may use (at run time) only modules of its own unit or of lower
 * layers. `import type` is free (it leaves no code). Keeps the safety code below the tools that
 * call it, so the gate can't come to depend on a tool's formatting (issue 13, "Where it lives").
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../../src');

/** Lower number = lower layer. A unit is a folder of src/ or a file at its top. */
const RANK: Record<string, number> = {
  errors: 0, callscope: 0, 'tool-shapes': 0, telemetry: 0,
  domain: 1,
  log: 2, audit: 2,
  api: 3,
  dns: 4, emulator: 4,
  config: 5,
  state: 5.5,
  safety: 6,
  auth: 6.5,
  history: 7,
  tools: 8, resources: 8, prompts: 8, apps: 8,
  server: 9, http: 9, sandbox: 9,
  cli: 10,
  index: 11,
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const unitOf = (file: string) => relative(SRC, file).split('/')[0]!.replace(/\.ts$/, '');

/** The modules a file uses at run time: static imports and re-exports (not `import type`/`export type`), and dynamic import(). */
export function runtimeImports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?'([^']+)'/gms)) if (!m[2]) out.push(m[3]!);
  for (const m of text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) out.push(m[1]!);
  return out.filter((s) => s.startsWith('.'));
}

describe('layers of src/', () => {
  const all = files(SRC);

  it('every unit has a layer', () => {
    const units = [...new Set(all.map(unitOf))];
    expect(units.filter((u) => RANK[u] === undefined)).toEqual([]);
  });

  it('no module uses a module of a higher layer (or a peer unit of the same layer, but for the tools/resources/prompts/apps group)', () => {
    const bad: string[] = [];
    for (const file of all) {
      const from = unitOf(file);
      for (const spec of runtimeImports(readFileSync(file, 'utf8'))) {
        const to = unitOf(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
        if (to === from) continue;
        const [a, b] = [RANK[from]!, RANK[to]!];
        if (b < a || (b === a && a === RANK['tools'])) continue;
        bad.push(`${relative(SRC, file)} (${from}) -> ${spec} (${to})`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('the check sees what it must: a runtime import, a re-export and a dynamic import, not a type import', () => {
    const text = "import { a } from '../tools/x.js';\nimport type { B } from '../tools/y.js';\nexport { c } from '../cli/z.js';\nconst m = await import('../server.js');\nimport {\n  d,\n} from '../http/w.js';";
    expect(runtimeImports(text)).toEqual(['../tools/x.js', '../cli/z.js', '../http/w.js', '../server.js']);
  });
});
