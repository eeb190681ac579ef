/**
 * OpenTelemetry traces, loaded only when OTEL_EXPORTER_OTLP_ENDPOINT (or ..._TRACES_ENDPOINT) is set.
 * Names and attributes follow the semantic conventions: MCP (gen-ai/mcp: a SERVER span
 * `tools/call {gen_ai.tool.name}` whose parent is the `traceparent` the client put in the request's
 * `params._meta`), HTTP client spans (`{method} {url.template}`) for VPS.org requests, and DNS
 * (`dns.question.name`). The current span is kept in our own AsyncLocalStorage, so nothing global
 * (context manager, propagator, tracer provider) is registered for other code to see.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type TextMapGetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { Attrs, Observer, OpEnd, OpStart, Watch } from './index.js';

export interface Tracing {
  observer: Observer;
  /** Ends the export: what is buffered is sent first. */
  shutdown(): Promise<void>;
}

const getter: TextMapGetter<Record<string, string | undefined>> = { keys: (c) => Object.keys(c), get: (c, k) => c[k] };
const propagator = new W3CTraceContextPropagator();

const clean = (a: Attrs): Attributes => Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as Attributes;

/** The span's name, kind and attributes at its start, per the conventions. */
function shape(op: OpStart): { name: string; kind: SpanKind; attributes: Attributes } {
  const a = op.attrs;
  if (op.kind === 'tool') {
    const tool = String(a['tool']);
    const transport = a['transport'] === 'http' ? { 'network.transport': 'tcp', 'network.protocol.name': 'http' } : a['transport'] === 'stdio' ? { 'network.transport': 'pipe' } : {};
    return { name: `tools/call ${tool}`, kind: SpanKind.SERVER, attributes: { 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': tool, 'gen_ai.operation.name': 'execute_tool', ...transport } };
  }
  if (op.kind === 'api') {
    const attempt = Number(a['attempt'] ?? 1);
    return {
      name: `${String(a['method'])} ${String(a['route'])}`,
      kind: SpanKind.CLIENT,
      attributes: clean({ 'http.request.method': a['method'], 'url.template': a['route'], 'server.address': a['server.address'], 'server.port': a['server.port'], ...(attempt > 1 ? { 'http.request.resend_count': attempt - 1 } : {}) }),
    };
  }
  return { name: `DNS ${String(a['dns.question.type'])}`, kind: SpanKind.CLIENT, attributes: clean(a) };
}

function ending(op: OpStart, span: Span, e: OpEnd): void {
  if (e.attrs) span.setAttributes(clean(e.attrs));
  if (op.kind === 'api' && /^\d{3}$/.test(e.outcome)) span.setAttribute('http.response.status_code', Number(e.outcome));
  if (op.kind === 'dns' && e.error === undefined) span.setAttribute('dns.response.code', e.outcome);
  if (e.error !== undefined) {
    // MCP conventions: a tool result with isError is `tool_error`; our error code says which.
    span.setAttribute('error.type', op.kind === 'tool' && e.outcome === 'error' ? 'tool_error' : e.error);
    if (op.kind === 'tool') span.setAttribute('vpsorg.error.code', e.error);
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/** Traces into `processor` (tests: a SimpleSpanProcessor over an InMemorySpanExporter). */
export function createTracing(processor: SpanProcessor, version: string, serviceName = 'vpsorg-dns-mcp'): Tracing {
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': serviceName, 'service.version': version }), spanProcessors: [processor] });
  const tracer = provider.getTracer('vpsorg-dns-mcp', version);
  const current = new AsyncLocalStorage<Context>();
  const observer: Observer = {
    start(op): Watch {
      const inner = current.getStore();
      // A tools/call continues the client's trace; API requests and DNS queries are traced only as its children.
      let parent: Context | undefined = inner;
      if (op.kind === 'tool' && op.carrier?.traceparent) parent = propagator.extract(ROOT_CONTEXT, { traceparent: op.carrier.traceparent, tracestate: op.carrier.tracestate }, getter);
      if (op.kind !== 'tool' && !inner) return { end: () => undefined };
      const { name, kind, attributes } = shape(op);
      const span = tracer.startSpan(name, { kind, attributes }, parent ?? ROOT_CONTEXT);
      const ctx = trace.setSpan(parent ?? ROOT_CONTEXT, span);
      return { end: (e) => ending(op, span, e), run: (fn) => current.run(ctx, fn) };
    },
  };
  return { observer, shutdown: () => provider.shutdown() };
}

/** Traces exported over OTLP/HTTP as the standard OTEL_EXPORTER_OTLP_* variables say. */
export function tracingFromEnv(env: Record<string, string | undefined>, version: string): Tracing {
  return createTracing(new BatchSpanProcessor(new OTLPTraceExporter()), version, env['OTEL_SERVICE_NAME'] || undefined);
}
