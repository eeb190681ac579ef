/**
 * Serves the one-time approval pages of an ApprovalStore: GET shows the page, POST records the
 * decision (in the store: any replica sharing it may serve the page and take the decision). Under --http it is routed by the MCP transport's own server (same host, same Host and
 * Origin checks); for stdio, a loopback listener on a random free port is started on first use.
 *
 * A decision must come from the person at the page: POST only, same origin (Origin must be this
 * page's own; Sec-Fetch-Site, when sent, same-origin), the CSRF token bound to this approval, a
 * form body, once, before expiry. The page path is 192 random bits: knowing it is what lets one
 * see the page; deciding also needs the token that is only on the page. Where a second person
 * must decide (VPSORG_REQUIRE_DISTINCT_APPROVER), the page shows who asked, and a decision is
 * counted only after the approver signs in (approval-signin.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { localhostAllowedHostnames } from '@modelcontextprotocol/server';
import { storeDesk, type ApprovalDesk, type ApprovalRequest, type ApprovalStore, type Decision } from '../safety/approval-desk.js';
import { approvalPage, messagePage } from './approval-html.js';
import { DONE, decideAndAnswer, sameToken, send } from './approval-respond.js';
import { beginSignIn, finishSignIn, type PageSignIn } from './approval-signin.js';
import { CALLBACK_PATH } from '../auth/approver-signin.js';
import { checkOrigin } from './guard.js';
import { pageOrigins, type PublicAddress } from '../auth/public-url.js';
import { log, redact } from '../log.js';
import { actorLabel } from '../history/listing.js';

export const APPROVE_PREFIX = '/approve/';
const MAX_BODY = 4096;

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

const DIRECT: PublicAddress = { publicUrl: undefined, trustForwarded: false };

/**
 * Handles a request under APPROVE_PREFIX; `allowedHostnames` are the Host/Origin names this
 * server answers to, `address` where the operator says the page is reached (auth/public-url.ts).
 * Returns false for other paths.
 */
export async function handleApproval(store: ApprovalStore, allowedHostnames: string[], req: IncomingMessage, res: ServerResponse, address: PublicAddress = DIRECT, signIn?: PageSignIn): Promise<boolean> {
  try {
    return await servePage(store, allowedHostnames, req, res, address, signIn);
  } catch (err) {
    // The shared store (VPSORG_STATE_URL) is down: the person is told so, and nothing was decided.
    if ((err as { code?: unknown } | null)?.code !== 'state_unavailable' || res.headersSent) throw err;
    send(res, 503, messagePage('Unavailable', 'The approvals cannot be read right now (the shared state store does not answer); nothing was decided. Reload this page in a moment.'), { 'retry-after': '5' });
    return true;
  }
}

async function servePage(store: ApprovalStore, allowedHostnames: string[], req: IncomingMessage, res: ServerResponse, address: PublicAddress, signIn?: PageSignIn): Promise<boolean> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (!path.startsWith(APPROVE_PREFIX)) return false;
  const failed = checkOrigin({ allowedHostnames }, { host: header(req, 'host'), origin: header(req, 'origin') });
  if (failed) {
    send(res, failed.status, messagePage('Refused', failed.message));
    return true;
  }
  // The issuer sends the approver back here (a top-level GET from its origin: no Origin header to check).
  if (path === CALLBACK_PATH) return (await finishSignIn(signIn, store, req, res), true);
  const pagePath = path.slice(APPROVE_PREFIX.length);
  const entry = await store.page(pagePath);
  if (!entry) {
    send(res, 404, messagePage('Not found', 'No such approval: it was used already, it expired, or the link is wrong.'));
    return true;
  }
  if (req.method === 'GET' || req.method === 'HEAD') {
    if (entry.decided) return (send(res, 410, messagePage(...DONE[entry.decided])), true);
    // Redacted like every result: a record value that happens to hold a registered secret shows ***.
    const who = { ...(entry.requester ? { requester: actorLabel(entry.requester) } : {}), ...(entry.distinct ? { signInAt: signIn?.signIn.issuer ?? '' } : {}) };
    send(res, 200, redact(approvalPage(entry.view, entry.csrf, entry.expiresAt, who)));
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
  const d: Decision = decision === 'approve' ? 'approved' : 'declined';
  // A change that needs a second person is decided only by an approver who signs in first (approval-signin.ts).
  if (entry.distinct && !entry.decided) return (await beginSignIn(signIn, pagePath, d, req, res), true);
  await decideAndAnswer(store, entry, d, res);
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

