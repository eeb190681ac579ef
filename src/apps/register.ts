/** Registers the views the registered tools use, as `ui://` resources with the MCP Apps mime type. */
import type { McpServer } from '@modelcontextprotocol/server';
import { RESOURCE_MIME_TYPE, registerAppResource } from '@modelcontextprotocol/ext-apps/server';
import { VIEWS, viewOf, viewUri, type ViewName } from './views.js';

/** The views declare no domain at all: no connection, no external script, style, image or frame. */
const UI_META = { ui: { csp: { connectDomains: [], resourceDomains: [], frameDomains: [], baseUriDomains: [] }, prefersBorder: true } };

/** Registers the views and returns them as resources/list shows them. */
export function registerViews(server: McpServer, toolNames: Iterable<string>): Array<{ uri: string; name: string; title: string; description: string; mimeType: string; _meta: typeof UI_META }> {
  const used = new Set<ViewName>();
  for (const name of toolNames) {
    const v = viewOf(name);
    if (v) used.add(v);
  }
  return [...used].map((view) => {
    const uri = viewUri(view);
    const listed = { uri, name: `view_${view}`, title: VIEWS[view].title, description: VIEWS[view].description, mimeType: RESOURCE_MIME_TYPE, _meta: UI_META };
    registerAppResource(server, listed.name, uri, { title: listed.title, description: listed.description, _meta: UI_META }, async () => {
      const { viewPage } = await import('./html.js');
      return { contents: [{ uri, mimeType: RESOURCE_MIME_TYPE, text: await viewPage(view), _meta: UI_META }] };
    });
    return listed;
  });
}
