/** A plan preview: filled in with the app-only approve tool (see src/apps/approve.ts). */
import type { App } from '@modelcontextprotocol/ext-apps';
import { el, show, str } from './dom.js';

export function renderPlan(data: Record<string, unknown>, _app: App): void {
  show(el('h1', '', 'Plan for ', el('span', 'mono', str(data['zone']))));
}
