/**
 * The one seam between the code that does the work (tool calls, VPS.org requests, DNS queries, the
 * gate) and whatever watches it (Prometheus metrics, OpenTelemetry traces: ./metrics.ts,
 * ./tracing.ts, loaded only when an operator turns them on). With no observer installed, which is
 * the default and every stdio start, `observe` is a direct call and nothing else is loaded.
 */

export type Attrs = Record<string, string | number | boolean | undefined>;

/** What is being done: a tools/call, one VPS.org API request (one attempt), one DNS question. */
export type OpKind = 'tool' | 'api' | 'dns';

export interface OpStart {
  kind: OpKind;
  attrs: Attrs;
  /** W3C trace context the client sent with the request (a tools/call's `params._meta`). */
  carrier?: { traceparent?: string | undefined; tracestate?: string | undefined } | undefined;
}

export interface OpEnd {
  /** Low-cardinality outcome: `ok`, `error`, `input_required` (tools), a status or rcode (api, dns). */
  outcome: string;
  /** Set when the operation failed: a short, low-cardinality error type (an error code, never a message). */
  error?: string | undefined;
  attrs?: Attrs;
}

export interface Watch {
  end(e: OpEnd): void;
  /** Runs the operation inside this watch's context, so that what it starts is its child. */
  run?<T>(fn: () => T): T;
}

export interface Observer {
  start(op: OpStart): Watch;
  /** A gate decision: what the call does to DNS (effect codes, `none` for none) and what became of it. */
  gate?(effects: readonly string[], decision: string): void;
}

const observers: Observer[] = [];

/** Installs an observer; returns how to remove it again (tests, shutdown). */
export function addObserver(o: Observer): () => void {
  observers.push(o);
  return () => {
    const i = observers.indexOf(o);
    if (i >= 0) observers.splice(i, 1);
  };
}

/** The error type of a thrown value: its `code` when it has a short one (UserError, ApiError), else its class name. */
export function errorType(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[A-Za-z0-9_.-]{1,40}$/.test(code)) return code;
  return err instanceof Error ? err.name : 'error';
}

/** Runs `fn` as an observed operation; `ended` reads its outcome from the value it returned. */
export async function observe<T>(op: OpStart, fn: () => Promise<T>, ended: (v: T) => OpEnd): Promise<T> {
  if (observers.length === 0) return fn();
  const watches = observers.map((o) => o.start(op));
  let run = fn;
  for (const w of watches) {
    if (!w.run) continue;
    const inner = run;
    run = () => (w.run as <R>(f: () => R) => R)(inner);
  }
  let value: T;
  try {
    value = await run();
  } catch (err) {
    const type = errorType(err);
    for (const w of watches) w.end({ outcome: 'error', error: type });
    throw err;
  }
  const e = ended(value);
  for (const w of watches) w.end(e);
  return value;
}

export function gateDecision(effects: readonly string[], decision: string): void {
  for (const o of observers) o.gate?.(effects.length ? effects : ['none'], decision);
}

/** Whether the operator asked for traces: the standard OTLP endpoint variables, unless OTEL_SDK_DISABLED. */
export function tracingWanted(env: Record<string, string | undefined>): boolean {
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return false;
  return Boolean(env['OTEL_EXPORTER_OTLP_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);
}

/**
 * Starts OpenTelemetry traces when asked for (tracingWanted); returns how to flush and stop them.
 * The OpenTelemetry code is a chunk of its own, loaded only then: a stdio start without it does not grow.
 */
export async function startTracing(env: Record<string, string | undefined>, version: string): Promise<() => Promise<void>> {
  if (!tracingWanted(env)) return async () => undefined;
  const { tracingFromEnv } = await import('./tracing.js');
  const t = tracingFromEnv(env, version);
  const remove = addObserver(t.observer);
  let stopped: Promise<void> | undefined;
  const stop = () => {
    if (!stopped) {
      remove();
      stopped = t.shutdown().catch(() => undefined);
    }
    return stopped;
  };
  // A stdio server ends when its client closes stdin: send what is buffered before the process goes.
  process.once('beforeExit', () => void stop());
  return stop;
}
