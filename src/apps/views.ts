/**
 * The MCP App views (io.modelcontextprotocol/ui) and which tool shows which. A host that renders
 * Apps shows the view with the tool's result; any other client ignores the tool's `_meta.ui` and
 * reads the text and structured result as before.
 */
import { RESOURCE_MIME_TYPE, getUiCapability } from '@modelcontextprotocol/ext-apps/server';
import type { ToolMeta } from '../tool-shapes.js';

export type ViewName = 'plan' | 'propagation' | 'audit';

export const VIEWS: Record<ViewName, { title: string; description: string }> = {
  plan: { title: 'DNS change plan', description: 'What a change would do, record by record (old -> new), its risks and new audit findings, with an Approve button for the person.' },
  propagation: { title: 'DNS propagation grid', description: 'Each record set on each authoritative nameserver: in sync, pending or error, with SOA serials.' },
  audit: { title: 'DNS zone audit report', description: 'Findings by severity with the records concerned and the fix.' },
};

/**
 * The tools whose writes the confirmation gate may hold: with a client that renders Apps, the gate
 * asks the person in the plan view (src/safety/channel.ts puts the App first), so each shows its
 * results there and approve_plan takes the view's Approve for each.
 */
export const APPROVABLE = ['create_zone', 'create_record', 'update_record', 'patch_record', 'update_ttl', 'delete_record', 'delete_zone', 'apply_zone', 'undo_change', 'acme_challenge'] as const;

const TOOL_VIEWS: Readonly<Record<string, ViewName>> = {
  ...Object.fromEntries(APPROVABLE.map((t) => [t, 'plan' as const])),
  // Read-only previews of a whole-zone change (no Approve: apply_zone applies them).
  plan_zone: 'plan',
  import_zone_file: 'plan',
  check_propagation: 'propagation',
  audit_zone: 'audit',
};

export const viewUri = (view: ViewName): string => `ui://vpsorg-dns-mcp/${view}.html`;

/** The view a tool's results are shown in, if any. */
export function viewOf(tool: string): ViewName | undefined {
  return TOOL_VIEWS[tool];
}

/**
 * The `_meta` of a tool: a tool with a view names it (`ui.resourceUri`, and the older flat key
 * ext-apps also sets); an app-only tool says so (`ui.visibility: ["app"]`), which only the host can
 * enforce. Undefined for every other tool.
 */
export function toolUiMeta(tool: Pick<ToolMeta, 'name' | 'appOnly'>): Record<string, unknown> | undefined {
  if (tool.appOnly) return { ui: { visibility: ['app'] } };
  const view = viewOf(tool.name);
  return view ? { ui: { resourceUri: viewUri(view) }, 'ui/resourceUri': viewUri(view) } : undefined;
}

/** Whether the client declared it renders MCP Apps (the io.modelcontextprotocol/ui extension with the Apps mime type). */
export function rendersApps(capabilities: unknown): boolean {
  const ui = getUiCapability(capabilities as Parameters<typeof getUiCapability>[0]);
  return Array.isArray(ui?.mimeTypes) && ui.mimeTypes.includes(RESOURCE_MIME_TYPE);
}
