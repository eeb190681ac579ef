import { ESSENTIAL, type Config } from '../config.js';
import type { ToolMeta } from '../tool-shapes.js';

export interface Selection<T extends ToolMeta = ToolMeta> {
  tools: T[];
  /** Why tools were left out, for the server instructions and `tools` listing. */
  notes: string[];
}

/**
 * Which tools exist on the protocol. Read-only mode follows each tool's own readOnlyHint, so a
 * write tool can't be forgotten in a hand-kept list; the handlers still can't reach a write
 * endpoint in read-only mode because the tools that would are never registered.
 */
export function selectTools<T extends ToolMeta>(all: readonly T[], config: Pick<Config, 'readOnly' | 'toolsets'>, permissions: readonly string[] | null = null): Selection<T> {
  const notes: string[] = [];
  let tools = [...all];
  if (config.readOnly) {
    tools = tools.filter((t) => t.hints.readOnlyHint);
    notes.push('Read-only mode (VPSORG_READ_ONLY): no tool can change DNS.');
  }
  if (config.toolsets) {
    const sets = config.toolsets;
    tools = tools.filter((t) => sets.has(t.toolset) || (t.essential && sets.has(ESSENTIAL)) || t.appOnly !== undefined);
    notes.push(`Toolsets limited to ${[...sets].join(', ')} (VPSORG_TOOLSETS).`);
  }
  if (permissions) {
    const missing = tools.filter((t) => t.permission && !permissions.includes(t.permission));
    if (missing.length) {
      tools = tools.filter((t) => !missing.includes(t));
      notes.push(`Left out because the API token lacks their permission: ${missing.map((t) => `${t.name} (${t.permission})`).join(', ')}.`);
    }
  }
  // An app-only tool (the plan view's Approve) follows the tools whose results it serves, not a toolset: it exists only with one.
  tools = tools.filter((t) => !t.appOnly || t.appOnly.some((name) => tools.some((u) => u.name === name)));
  return { tools, notes };
}
