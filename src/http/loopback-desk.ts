/**
 * The approval desk of a stdio server or a CLI call: the store is made now (it is small), the
 * loopback page server only when the first approval page is needed, so the plain stdio start
 * path loads no HTTP code.
 */
import { ApprovalStore, type ApprovalDesk } from '../safety/approval-desk.js';
import type { LoopbackDesk } from './approval-page.js';

export function lazyLoopbackDesk(store = new ApprovalStore()): ApprovalDesk & { close(): Promise<void> } {
  let page: Promise<LoopbackDesk> | undefined;
  return {
    async open(req) {
      page ??= import('./approval-page.js').then((m) => m.loopbackDesk(store));
      return (await page).open(req);
    },
    wait: (key, ms, signal) => store.wait(key, ms, signal),
    cancel: (key) => store.cancel(key),
    url: (key) => store.url(key),
    report: (key, outcome) => store.report(key, outcome),
    async close() {
      if (page) await (await page).close();
    },
  };
}
