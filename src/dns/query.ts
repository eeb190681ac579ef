/**
 * A single DNS question to a single server address, the way an authoritative check needs it:
 * recursion off, EDNS0, per-try timeout, a fresh UDP socket and random id per try, TCP when the
 * UDP answer is truncated (or when UDP never answers: some firewalls drop only UDP).
 */
import { assertQueryName } from './names.js';
import { buildQuery, randomId, type Rr } from './packet.js';
import { tcpExchange } from './tcp.js';
import { udpExchange, type Exchange, type Server } from './udp.js';
import { withDnsSocket } from './sockets.js';
import { callScope } from '../callscope.js';
import { observe } from '../telemetry/index.js';

export type Answer = Rr;

export type QueryResult =
  | { ok: true; rcode: string; aa: boolean; tc: boolean; answers: Answer[]; authorities: Answer[]; additionals: Answer[]; rttMs: number; transport: 'udp' | 'tcp' }
  | { ok: false; error: string; kind: 'timeout' | 'malformed' | 'network'; rttMs: number };

export interface QueryOptions {
  /** Per try, in ms (default 3000). */
  timeoutMs?: number;
  /** UDP tries (default 2). */
  tries?: number;
  signal?: AbortSignal | undefined;
  tcpOnly?: boolean;
  /** Ask for recursion (only for a configured recursive resolver; default off). */
  rd?: boolean;
  /** Try TCP once after every UDP try timed out (default true). */
  tcpFallback?: boolean;
}

function toResult(x: Exchange, transport: 'udp' | 'tcp'): QueryResult {
  if (!x.ok) return { ok: false, error: x.error, kind: x.kind, rttMs: x.rttMs };
  const r = x.reply;
  return { ok: true, rcode: r.rcode, aa: r.aa, tc: r.tc, answers: r.answers, authorities: r.authorities, additionals: r.additionals, rttMs: x.rttMs, transport };
}

/**
 * One exchange, within the process's socket bound and the calling tool's DNS budget (callscope.ts);
 * `server.tcp === false` (a model-given nameserver on a port other than 53) allows UDP only.
 */
function exchange(server: Server, via: 'udp' | 'tcp', query: Buffer, ex: { timeoutMs: number; signal: AbortSignal | undefined }): Promise<Exchange> {
  const refuse = (error: string): Exchange => ({ ok: false, kind: 'network', error, rttMs: 0 });
  if (via === 'tcp' && server.tcp === false) return Promise.resolve(refuse('TCP: not used for this server (TCP goes to port 53 only)'));
  const scope = callScope();
  if (scope) {
    if (scope.dnsLeft <= 0) return Promise.resolve(refuse('this call used up its DNS query budget'));
    scope.dnsLeft--;
  }
  return withDnsSocket(ex.signal, () => (via === 'udp' ? udpExchange(server, query, ex) : tcpExchange(server, query, ex)), () => refuse('query aborted'));
}

/** A query cut short because its check's time was up (poll.ts checkLimit) reads as a timeout, not as a cancelled call. */
function outOfTime(r: QueryResult, signal: AbortSignal | undefined): QueryResult {
  if (r.ok || !signal?.aborted || (signal.reason as { name?: string } | undefined)?.name !== 'TimeoutError') return r;
  return { ok: false, kind: 'timeout', error: "no reply before the check's time was up (its wait plus a few seconds)", rttMs: r.rttMs };
}

/** One question (its UDP tries, TCP retry and fallback together), observed as one DNS query (src/telemetry). */
export async function queryDns(server: Server, name: string, type: string, opts: QueryOptions = {}): Promise<QueryResult> {
  const qname = assertQueryName(name);
  const signal = opts.signal ?? callScope()?.signal;
  const attrs = { 'dns.question.name': qname, 'dns.question.type': type, 'server.address': server.address, 'server.port': server.port };
  return observe({ kind: 'dns', attrs }, async () => outOfTime(await ask(server, qname, type, opts, signal), signal), (r) =>
    r.ok ? { outcome: r.rcode, attrs: { 'network.transport': r.transport } } : { outcome: r.kind, error: r.kind },
  );
}

async function ask(server: Server, qname: string, type: string, opts: QueryOptions, signal: AbortSignal | undefined): Promise<QueryResult> {
  const timeoutMs = opts.timeoutMs ?? 3000;
  const tries = Math.max(1, opts.tries ?? 2);
  const ex = { timeoutMs, signal };
  const started = performance.now();
  const total = () => Math.round(performance.now() - started);
  const tcp = () => exchange(server, 'tcp', buildQuery(randomId(), qname, type, { rd: opts.rd ?? false }), ex);
  if (opts.tcpOnly) return toResult(await tcp(), 'tcp');

  let last: Exchange | null = null;
  for (let i = 0; i < tries; i++) {
    last = await exchange(server, 'udp', buildQuery(randomId(), qname, type, { rd: opts.rd ?? false }), ex);
    if (last.ok) {
      if (!last.reply.tc) return toResult(last, 'udp');
      const viaTcp = await tcp();
      if (viaTcp.ok) return toResult(viaTcp, 'tcp');
      return { ok: false, kind: viaTcp.kind, error: `UDP reply was truncated and the TCP retry failed: ${viaTcp.error}`, rttMs: total() };
    }
    if (last.kind !== 'timeout' || signal?.aborted) return { ok: false, kind: last.kind, error: last.error, rttMs: total() };
  }
  const failed = last as Exchange & { ok: false };
  if (opts.tcpFallback === false || server.tcp === false || signal?.aborted) return { ok: false, kind: failed.kind, error: `${failed.error} (${tries} ${tries === 1 ? 'try' : 'tries'})`, rttMs: total() };
  const viaTcp = await tcp();
  if (viaTcp.ok) return toResult(viaTcp, 'tcp');
  return { ok: false, kind: 'timeout', error: `${failed.error} (${tries} ${tries === 1 ? 'try' : 'tries'}); TCP fallback: ${viaTcp.error.replace(/^TCP: /, '')}`, rttMs: total() };
}
