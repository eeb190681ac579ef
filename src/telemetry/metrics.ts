/**
 * Prometheus metrics (prom-client), for the HTTP transport's /metrics when VPSORG_METRICS_TOKEN is
 * set. Loaded on demand: a server without that setting never imports prom-client. Labels are of
 * bounded variety only (tool names, outcomes, effect codes, methods, statuses), never zone names,
 * record values or ids.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Observer, OpEnd, OpStart } from './index.js';

/** Seconds: from a cached answer to a slow provider's retry. */
const API_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** The DNS semantic conventions' advice for dns.lookup.duration. */
const DNS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

export interface Metrics {
  registry: Registry;
  observer: Observer;
  /** The exposition text and its content type, as Prometheus scrapes it. */
  render(): Promise<{ contentType: string; text: string }>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'vpsorg_' });
  const registers = [registry];
  const toolCalls = new Counter({ name: 'vpsorg_tool_calls_total', help: 'MCP tools/call handled, by tool and outcome (ok, error, input_required).', labelNames: ['tool', 'outcome', 'error_type'], registers });
  const toolSeconds = new Histogram({ name: 'vpsorg_tool_call_duration_seconds', help: 'Time to answer a tools/call, by tool and outcome.', labelNames: ['tool', 'outcome'], buckets: API_BUCKETS, registers });
  const gate = new Counter({ name: 'vpsorg_gate_decisions_total', help: 'Write gate decisions, by effect code (none: no held effect) and decision (allowed, required, confirmed_by_*, refused, ...).', labelNames: ['effect', 'decision'], registers });
  const api = new Histogram({ name: 'vpsorg_api_request_duration_seconds', help: 'VPS.org API requests (each attempt), by method, route and status (or error type).', labelNames: ['method', 'route', 'status'], buckets: API_BUCKETS, registers });
  const dns = new Histogram({ name: 'vpsorg_dns_query_duration_seconds', help: 'DNS questions to nameservers (tries and TCP retry together), by type and outcome (rcode, or timeout/network/malformed).', labelNames: ['type', 'outcome'], buckets: DNS_BUCKETS, registers });

  const str = (v: unknown) => (v === undefined ? '' : String(v));
  const finish = (op: OpStart, e: OpEnd, seconds: number) => {
    const a = op.attrs;
    if (op.kind === 'tool') {
      toolCalls.inc({ tool: str(a['tool']), outcome: e.outcome, error_type: e.error ?? '' });
      toolSeconds.observe({ tool: str(a['tool']), outcome: e.outcome }, seconds);
    } else if (op.kind === 'api') {
      api.observe({ method: str(a['method']), route: str(a['route']), status: e.outcome === 'error' ? (e.error ?? 'error') : e.outcome }, seconds);
    } else {
      dns.observe({ type: str(a['dns.question.type']), outcome: e.outcome }, seconds);
    }
  };
  const observer: Observer = {
    start(op) {
      const t0 = performance.now();
      return { end: (e) => finish(op, e, (performance.now() - t0) / 1000) };
    },
    gate(effects, decision) {
      for (const effect of effects) gate.inc({ effect, decision });
    },
  };
  return { registry, observer, render: async () => ({ contentType: registry.contentType, text: await registry.metrics() }) };
}
