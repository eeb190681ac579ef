/**
 * Serves the one-time approval pages of an ApprovalStore: GET shows the page, POST records the
 * decision (in the store: any replica sharing it may serve the page and take the decision). Under --http it is routed by the MCP transport's own server (same host, same Host and
 * Origin checks); for stdio, a loopback listener on a random free port is started on first use.
 *
 * A decision must come from the person at the page: POST only, same origin (Origin must be this
 * page's own; Sec-Fetch-Site, when sent, same-origin), the CSRF token bound to this approval, a
 * form body, once, before expiry. The page path is 192 random bits: knowing it is what lets one
 * see the page; deciding also needs the token that is only on the page.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { localhostAllowedHostnames } from '@modelcontextprotocol/server';
import { storeDesk, type ApprovalDesk, type ApprovalRequest, type ApprovalStore, type Decision } from '../safety/approval-desk.js';
import { PAGE_CSP, approvalPage, messagePage } from './approval-html.js';
import { mayDecide } from '../safety/approver.js';
import { checkOrigin } from './guard.js';
import { pageOrigins, type PublicAddress } from '../auth/public-url.js';
import { log, redact } from '../log.js';

export const APPROVE_PREFIX = '/approve/';
const MAX_BODY = 4096;
/** How long the answer to an Approve waits for the change's outcome before saying only "Approved". */
const OUTCOME_WAIT_MS = 10_000;

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': PAGE_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // same-origin, not no-referrer: with no-referrer Chromium posts the form with `Origin: null`, which the origin check must refuse.
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

function send(res: ServerResponse, status: number, html: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...HEADERS, ...extra });
  res.end(html);
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(null));
  });
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const DONE: Record<Decision, [string, string]> = {
  approved: ['Approved', 'The change runs now, after the zone is checked once more against what this page showed. The result appears where the change was asked for. You can close this tab.'],
  declined: ['Declined', 'Nothing was changed. You can close this tab.'],
  expired: ['Expired', 'This approval expired; nothing was changed. Ask again for a fresh page.'],
};

const DIRECT: PublicAddress = { publicUrl: undefined, trustForwarded: false };

/**
 * Handles a request under APPROVE_PREFIX; `allowedHostnames` are the Host/Origin names this
 * server answers to, `address` where the operator says the page is reached (auth/public-url.ts).
 * Returns false for other paths.
 */
export async function handleApproval(store: ApprovalStore, allowedHostnames: string[], req: IncomingMessage, res: ServerResponse, address: PublicAddress = DIRECT): Promise<boolean> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (!path.startsWith(APPROVE_PREFIX)) return false;
  const failed = checkOrigin({ allowedHostnames }, { host: header(req, 'host'), origin: header(req, 'origin') });
  if (failed) {
    send(res, failed.status, messagePage('Refused', failed.message));
    return true;
  }
  const entry = await store.page(path.slice(APPROVE_PREFIX.length));
  if (!entry) {
    send(res, 404, messagePage('Not found', 'No such approval: it was used already, it expired, or the link is wrong.'));
    return true;
  }
  if (req.method === 'GET' || req.method === 'HEAD') {
    if (entry.decided) return (send(res, 410, messagePage(...DONE[entry.decided])), true);
    // Redacted like every result: a record value that happens to hold a registered secret shows ***.
    send(res, 200, redact(approvalPage(entry.view, entry.csrf, entry.expiresAt)));
    return true;
  }
  if (req.method !== 'POST') {
    send(res, 405, messagePage('Method not allowed', 'Decide with the buttons on the page.'), { allow: 'GET, POST' });
    return true;
  }
  // A cross-site form or script posts with a foreign Origin (refused above) or none: only this page may decide.
  // The page's own origin is this Host over http, the public URL's, or https behind a proxy the operator trusts.
  const host = header(req, 'host') ?? '';
  const site = header(req, 'sec-fetch-site');
  if (!pageOrigins(address, host).includes(header(req, 'origin') ?? '') || (site !== undefined && site !== 'same-origin')) {
    send(res, 403, messagePage('Refused', 'A decision must be posted from the approval page itself.'));
    return true;
  }
  if (!(header(req, 'content-type') ?? '').startsWith('application/x-www-form-urlencoded')) {
    send(res, 415, messagePage('Refused', 'A decision is a form post from the approval page.'));
    return true;
  }
  const body = await readBody(req);
  const form = new URLSearchParams(body ?? '');
  const decision = form.get('decision');
  if (body === null || !sameToken(form.get('csrf') ?? '', entry.csrf) || (decision !== 'approve' && decision !== 'decline')) {
    send(res, 403, messagePage('Refused', 'This decision does not carry the approval page\'s token. Use the buttons on the page.'));
    return true;
  }
  if (entry.decided) return (send(res, entry.decided === 'expired' ? 410 : 409, messagePage(...DONE[entry.decided])), true);
  // A change that needs a second person is decided only by a signed-in approver (safety/approver.ts); no one is signed in here.
  const verdict = mayDecide(entry, undefined);
  if (!verdict.ok) return (send(res, 403, messagePage('Refused', verdict.reason)), true);
  const d: Decision = decision === 'approve' ? 'approved' : 'declined';
  // Recorded once, in the store every replica shares; the entry then says what holds (another post may have won the race, or it expired).
  await store.decide(entry, d);
  const final: Decision = (entry as { decided: Decision | null }).decided ?? 'expired';
  log.info(`approval page: ${final} (${entry.view.op} on ${entry.view.zone})`);
  // The call waiting for this click (here or on another replica) runs the change now: tell the person what became of it, if it says so soon.
  const outcome = final === 'approved' ? await store.outcome(entry, OUTCOME_WAIT_MS) : null;
  const page = outcome ? messagePage(outcome.applied ? 'Approved and applied' : 'Approved, but not completed', outcome.text) : messagePage(...DONE[final]);
  send(res, final === 'expired' ? 410 : 200, redact(page));
  return true;
}

/** A desk whose pages are served by an HTTP server that routes APPROVE_PREFIX to handleApproval. */
export function routedDesk(store: ApprovalStore, fallbackOrigin: () => string): ApprovalDesk {
  return storeDesk(store, async (req: ApprovalRequest, origin?: string) => {
    const url = `${origin ?? fallbackOrigin()}${APPROVE_PREFIX}${await store.add(req)}`;
    await store.setUrl(req.key, url);
    return url;
  });
}

export interface LoopbackDesk extends ApprovalDesk {
  close(): Promise<void>;
}

/** Lets the answer to the last click finish (it waits for the outcome), then ends what is left. */
function closeGently(server: Server): Promise<void> {
  return new Promise<void>((done) => {
    server.close(() => done());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 2000).unref();
  });
}

/** stdio and the CLI: pages on 127.0.0.1, a random free port, listening only while the process has approvals to show. */
export function loopbackDesk(store: ApprovalStore): LoopbackDesk {
  let started: Promise<{ origin: string; close(): Promise<void> }> | undefined;
  const start = () =>
    new Promise<{ origin: string; close(): Promise<void> }>((resolve, reject) => {
      const allowed = localhostAllowedHostnames();
      const server = createServer((req, res) => {
        handleApproval(store, allowed, req, res)
          .then((handled) => (handled ? undefined : send(res, 404, messagePage('Not found', 'Nothing here.'))))
          .catch((err: unknown) => {
            log.error(`approval page: ${err instanceof Error ? err.message : String(err)}`);
            if (!res.headersSent) send(res, 500, messagePage('Error', 'Internal error.'));
          });
      });
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        // The listener never holds the process open: a stdio server ends when its client goes.
        server.unref();
        const addr = server.address();
        const port = typeof addr === 'object' && addr ? addr.port : 0;
        resolve({ origin: `http://127.0.0.1:${port}`, close: () => closeGently(server) });
      });
    });
  const desk = routedDesk(store, () => '');
  return {
    ...desk,
    async open(req) {
      started ??= start();
      return desk.open(req, (await started).origin);
    },
    async close() {
      if (started) await (await started).close();
    },
  };
}

