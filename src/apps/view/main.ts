/**
 * The views' entry: one script for the three views (the page's `data-view` picks the renderer),
 * connected to the host through the ext-apps App. The tool result arrives from the host; nothing
 * is fetched (the page's CSP allows no connection).
 */
import { App } from '@modelcontextprotocol/ext-apps';
import { el, show } from './dom.js';
import { renderPropagation } from './propagation.js';
import { renderAudit } from './audit.js';
import { renderPlan, setPlanInput } from './plan.js';

type Render = (data: Record<string, unknown>, app: App, meta: Record<string, unknown>) => void;
const RENDER: Record<string, Render> = { propagation: renderPropagation, audit: renderAudit, plan: renderPlan };

const view = document.body.dataset['view'] ?? '';
const app = new App({ name: `vpsorg-dns-mcp ${view}`, version: '1' }, {}, { autoResize: true });

app.ontoolresult = (result) => {
  const text = (result.content ?? []).map((c) => (c.type === 'text' ? c.text : '')).join('\n');
  if (result.isError || !result.structuredContent) {
    show(el('h1', '', 'The call failed'), el('pre', 'error', text || 'No result.'));
    return;
  }
  RENDER[view]?.(result.structuredContent as Record<string, unknown>, app, (result._meta ?? {}) as Record<string, unknown>);
};
app.ontoolinput = (input) => setPlanInput(input.arguments as Record<string, unknown> | undefined);
app.ontoolcancelled = () => show(el('p', 'muted', 'The call was cancelled.'));

void app.connect().catch((err: unknown) => show(el('pre', 'error', `Could not connect to the host: ${err instanceof Error ? err.message : String(err)}`)));
