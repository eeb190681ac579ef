/**
 * The views' page, built by `npm run build` (scripts/build-views.mjs) and embedded in the bundle;
 * loaded only when a host reads a view, never at start. Run from source, it is read from dist/.
 */
import { readFile } from 'node:fs/promises';
import type { ViewName } from './views.js';

declare const __BUILD_VIEW_PAGE__: string | undefined;

const SLOT = '%VIEW%';
let page: Promise<string> | undefined;

async function template(): Promise<string> {
  if (typeof __BUILD_VIEW_PAGE__ === 'string') return __BUILD_VIEW_PAGE__;
  const file = new URL('../../dist/views/view.html', import.meta.url);
  return readFile(file, 'utf8').catch(() => {
    throw new Error('The MCP App views are not built: run npm run build.');
  });
}

export async function viewPage(view: ViewName): Promise<string> {
  page ??= template();
  return (await page).replace(SLOT, view);
}
