/**
 * What one tool call may spend, wherever the work happens (API requests, Retry-After waits, DNS
 * queries), without threading it through every signature: the call's cancel signal, its deadline
 * for provider traffic, and its DNS query budget. runTool opens a scope per call; code outside any
 * call (tests, start-up) sees none and is bounded only by its own settings.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface CallScope {
  /** Aborted when the call is cancelled (notifications/cancelled, HTTP disconnect, Ctrl-C). */
  signal: AbortSignal;
  /** Epoch ms after which no provider request or retry wait starts. */
  apiDeadline: number;
  /** DNS exchanges (UDP tries and TCP connections) this call may still make. */
  dnsLeft: number;
}

/** Provider traffic of one call, retries and Retry-After waits included. */
export const CALL_API_BUDGET_MS = 5 * 60_000;

const scopes = new AsyncLocalStorage<CallScope>();

export function inCallScope<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  return scopes.run({ signal, apiDeadline: Date.now() + CALL_API_BUDGET_MS, dnsLeft: Number.POSITIVE_INFINITY }, fn);
}

export function callScope(): CallScope | undefined {
  return scopes.getStore();
}

const requests = new AsyncLocalStorage<AbortSignal>();

/** Runs a transport's request handler so that tool calls inside it also stop when the request's client goes away. */
export function withRequestSignal<T>(signal: AbortSignal, fn: () => T): T {
  return requests.run(signal, fn);
}

/** The signal of the transport request being served (HTTP: aborted on disconnect), if any. */
export function requestSignal(): AbortSignal | undefined {
  return requests.getStore();
}
