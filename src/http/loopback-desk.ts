/**
 * The approval desk of a stdio server or a CLI call: the store is made now (it is small), the
 * loopback page server only when the first approval page is needed, so the plain stdio start
 * path loads no HTTP code.
 */
import { ApprovalStore, storeDesk, type ApprovalDesk } from '../safety/approval-desk.js';
import type { LoopbackDesk } from './approval-page.js';

export function lazyLoopbackDesk(store = new ApprovalStore()): ApprovalDesk & { close(): Promise<void> } {
  let page: Promise<LoopbackDesk> | undefined;
  const desk = storeDesk(store, async (req) => {
    page ??= import('./approval-page.js').then((m) => m.loopbackDesk(store));
    return (await page).open(req);
  });
  return {
    ...desk,
    async close() {
      if (page) await (await page).close();
    },
  };
}
