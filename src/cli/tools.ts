/** `vpsorg-dns-mcp tools [--json]`: the tools this configuration exposes, with their parameters. */
import { ConfigError } from '../errors.js';
import { loadConfig, type Env } from '../config.js';
import { ALL_TOOLS } from '../tools/index.js';
import { selectTools } from '../safety/policy.js';
import { applyGlobalFlag, emptyArgs } from './args.js';
import { effectLabel, renderToolList, toolParams } from './describe.js';
import { writeDiagnostic, writeResult } from './output.js';

export async function runToolsCommand(argv: string[], env: Env): Promise<number> {
  const globals = emptyArgs();
  let json = false;
  try {
    for (let i = 0; i < argv.length; ) {
      if (argv[i] === '--json') {
        json = true;
        i++;
        continue;
      }
      const used = applyGlobalFlag(globals, argv, i);
      if (used === 0) throw new ConfigError(`Unknown argument "${argv[i]}" for tools (it takes --json, --read-only, --toolsets).`);
      i += used;
    }
    const { tools, notes } = selectTools(ALL_TOOLS, loadConfig({ ...env, ...globals.env }));
    for (const note of notes) writeDiagnostic(note);
    if (json) {
      const list = tools.map((t) => ({
        name: t.name,
        title: t.title,
        description: t.description,
        effect: effectLabel(t),
        annotations: t.hints,
        parameters: toolParams(t).map(({ name, type, required, description }) => ({ name, type, required, description })),
      }));
      await writeResult(JSON.stringify(list, null, 2));
    } else {
      await writeResult(renderToolList(tools));
    }
    return 0;
  } catch (err) {
    if (err instanceof ConfigError) {
      writeDiagnostic(`vpsorg-dns-mcp tools: ${err.message}`);
      return 2;
    }
    throw err;
  }
}
