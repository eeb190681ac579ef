/**
 * How many MCP requests run at once, per client and in all. Each request may hold VPS.org requests,
 * DNS sockets and a long wait (an approval page, a propagation check), so both are bounded; the
 * per-client share keeps one client (64 long polls under one key) from taking every slot and
 * turning everyone else away with 503.
 */
import { createHash } from 'node:crypto';

/** MCP requests one process serves at once; more get 503 with Retry-After. */
export const MAX_CONCURRENT_REQUESTS = 256;
/**
 * Of those, what one client may hold: a quarter, so a flood from one leaves room for three others at
 * least, and still above what one agent host sends at once (the load test: 50 concurrent calls).
 */
export const MAX_REQUESTS_PER_CLIENT = 64;

/**
 * A client is its credential and its address: the bearer token (hashed: never kept) tells apart
 * clients with their own tokens, and the address tells apart clients that share the one access key.
 * A signed-in OAuth caller is its subject instead (`principal`: issuer and subject, or client id),
 * wherever it connects from and however many tokens it holds, so minting tokens buys no more share.
 */
export function clientKey(authorization: string | undefined, remoteAddress: string | undefined, principal?: string): string {
  const digest = (s: string) => createHash('sha256').update(s).digest('base64url').slice(0, 16);
  if (principal) return `oauth:${digest(principal)}`;
  return `${authorization ? digest(authorization) : '-'}@${remoteAddress ?? '?'}`;
}

export type Admission = { ok: true; release(): void } | { ok: false; reason: string };

export function admission(limits: { total: number; perClient: number } = { total: MAX_CONCURRENT_REQUESTS, perClient: MAX_REQUESTS_PER_CLIENT }) {
  let total = 0;
  const held = new Map<string, number>();
  return {
    admit(client: string): Admission {
      const mine = held.get(client) ?? 0;
      if (mine >= limits.perClient) return { ok: false, reason: `this client already has ${mine} requests in progress (at most ${limits.perClient} at once)` };
      if (total >= limits.total) return { ok: false, reason: `${total} requests already in progress (at most ${limits.total} at once)` };
      total++;
      held.set(client, mine + 1);
      let released = false;
      return {
        ok: true,
        release() {
          if (released) return;
          released = true;
          total--;
          const left = (held.get(client) ?? 1) - 1;
          if (left > 0) held.set(client, left);
          else held.delete(client);
        },
      };
    },
  };
}
