/**
 * The MCP App views (io.modelcontextprotocol/ui) and which tool shows which. A host that renders
 * Apps shows the view with the tool's result; any other client ignores the tool's `_meta.ui` and
 * reads the text and structured result as before.
 */
import { RESOURCE_MIME_TYPE, getUiCapability } from '@modelcontextprotocol/ext-apps/server';

export type ViewName = 'plan' | 'propagation' | 'audit';

export const VIEWS: Record<ViewName, { title: string; description: string }> = {
  plan: { title: 'DNS change plan', description: 'What a change would do, record by record (old -> new), its risks and new audit findings, with an Approve button for the person.' },
  propagation: { title: 'DNS propagation grid', description: 'Each record set on each authoritative nameserver: in sync, pending or error, with SOA serials.' },
  audit: { title: 'DNS zone audit report', description: 'Findings by severity with the records concerned and the fix.' },
};

const TOOL_VIEWS: Readonly<Record<string, ViewName>> = {
  check_propagation: 'propagation',
  audit_zone: 'audit',
};

export const viewUri = (view: ViewName): string => `ui://vpsorg-dns-mcp/${view}.html`;

/** The view a tool's results are shown in, if any. */
export function viewOf(tool: string): ViewName | undefined {
  return TOOL_VIEWS[tool];
}

/** The `_meta` a tool with a view declares: `ui.resourceUri` and the older flat key ext-apps also sets. */
export function toolUiMeta(view: ViewName): Record<string, unknown> {
  return { ui: { resourceUri: viewUri(view) }, 'ui/resourceUri': viewUri(view) };
}

/** Whether the client declared it renders MCP Apps (the io.modelcontextprotocol/ui extension with the Apps mime type). */
export function rendersApps(capabilities: unknown): boolean {
  const ui = getUiCapability(capabilities as Parameters<typeof getUiCapability>[0]);
  return Array.isArray(ui?.mimeTypes) && ui.mimeTypes.includes(RESOURCE_MIME_TYPE);
}
