/**
 * User-flow spans: a named span around what a user set out to do ("room.create"), with every
 * fetch and child span inside it. The flow span is named after the flow; its outcome is recorded
 * in `flowtrace.flow.outcome` (and a reason in `flowtrace.flow.reason` / the span status).
 */
import { context, diag, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { ATTR_FLOW_NAME, ATTR_FLOW_OUTCOME } from '../shared/attributes.ts';
import { ATTR_FLOW_REASON, ATTR_FLOW_TRIGGER } from './attributes.ts';
import { explicitContext } from './context-manager.ts';
import { flowRegistry, type OpenFlow } from './flow-registry.ts';

/** How a flow ended; `timeout` when it was still open at its cap (see {@link FlowOptions.timeoutMs}). */
export type FlowOutcome = 'ok' | 'error' | 'cancelled' | 'unloaded' | 'timeout';

export interface FlowOptions {
  /** Domain attributes of the flow (room id, participant count…), never personal data. */
  attributes?: Attributes;
  /**
   * Longest the flow may stay open: it then ends with outcome `timeout` and the reason, so a
   * request that never answers cannot keep it open forever; `0` for no cap.
   * @default createClientTracing's `flowTimeoutMs` (30 000) for runFlow, clickFlow and `data-flow`
   * clicks; no cap for startFlow, which its caller ends
   */
  timeoutMs?: number;
}

/** Sentry's final timeout for idle spans is 30 s too: long enough for a slow request, short enough to see a hang. */
export const DEFAULT_FLOW_TIMEOUT_MS = 30_000;
let defaultTimeoutMs = DEFAULT_FLOW_TIMEOUT_MS;

/** @internal Sets the cap of flows that end by themselves (createClientTracing's `flowTimeoutMs`); no argument resets it. */
export function setDefaultFlowTimeout(ms: number = DEFAULT_FLOW_TIMEOUT_MS): void {
  defaultTimeoutMs = ms;
}

/** The flow a callback runs in. */
export interface Flow {
  readonly span: Span;
  /** Adds domain attributes learnt during the flow. */
  setAttributes(attributes: Attributes): void;
  /** Marks the flow as failed without throwing; it ends as `error` with `reason`. */
  fail(reason: string): void;
  /** Marks the flow as cancelled (the user gave up); it ends as `cancelled`. */
  cancel(reason?: string): void;
}

/** A flow started with {@link startFlow}, ended by the caller. */
export interface FlowHandle extends Flow {
  /** Runs `fn` inside the flow: its spans and fetches are the flow's children. */
  run<T>(fn: () => T): T;
  /** Ends the flow, `ok` unless `fail`/`cancel` said otherwise or an outcome is given. */
  end(outcome?: FlowOutcome, reason?: string): void;
  /** Whether the flow has ended. */
  readonly ended: boolean;
}

const tracer = () => trace.getTracer('flowtrace');

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

function isAbort(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'AbortError';
}

/**
 * @internal Starts a flow span under `parent` with a trigger; used by click flows too. `capped`
 * flows end by themselves and get the default cap unless `options.timeoutMs` says otherwise.
 */
export function openFlow(name: string, options: FlowOptions, trigger: string, parent: Context = explicitContext(), capped = true): FlowHandle {
  if (typeof name !== 'string' || name.trim() === '') {
    diag.warn(`flowtrace: a flow needs a non-empty name, got ${JSON.stringify(name)}; recorded as "flow"`);
    name = 'flow';
  }
  const span = tracer().startSpan(
    name,
    { attributes: { ...options.attributes, [ATTR_FLOW_NAME]: name, [ATTR_FLOW_TRIGGER]: trigger } },
    parent,
  );
  const ctx = trace.setSpan(parent, span);
  let pending: { outcome: FlowOutcome; reason?: string } | undefined;
  let ended = false;
  let cap: ReturnType<typeof setTimeout> | undefined;
  const entry: OpenFlow = {
    span,
    context: ctx,
    end(outcome, reason) {
      if (ended) return;
      ended = true;
      clearTimeout(cap);
      flowRegistry.delete(entry);
      span.setAttribute(ATTR_FLOW_OUTCOME, outcome);
      if (reason !== undefined && outcome !== 'ok') span.setAttribute(ATTR_FLOW_REASON, reason);
      if (outcome === 'error' || outcome === 'timeout') span.setStatus({ code: SpanStatusCode.ERROR, ...(reason ? { message: reason } : {}) });
      span.end();
    },
  };
  flowRegistry.add(entry);
  const timeoutMs = options.timeoutMs ?? (capped ? defaultTimeoutMs : 0);
  if (typeof timeoutMs === 'number' && timeoutMs > 0 && Number.isFinite(timeoutMs)) {
    cap = setTimeout(() => entry.end('timeout', `the flow was still open after ${timeoutMs} ms (its cap); a request or step inside it never finished`), timeoutMs);
  }
  return {
    span,
    setAttributes: (attributes) => span.setAttributes(attributes),
    fail: (reason) => (pending = { outcome: 'error', reason }),
    cancel: (reason) => (pending = { outcome: 'cancelled', ...(reason === undefined ? {} : { reason }) }),
    run: (fn) => context.with(ctx, fn),
    end(outcome, reason) {
      const final = outcome ? { outcome, reason } : (pending ?? { outcome: 'ok' as const });
      entry.end(final.outcome, final.reason);
    },
    get ended() {
      return ended;
    },
  };
}

/**
 * Starts a flow that the caller ends with `end()`, for flows that span several events (a call, a
 * recording). Nested under the active flow, if any.
 */
export function startFlow(name: string, options: FlowOptions = {}): FlowHandle {
  return openFlow(name, options, 'code', explicitContext(), false);
}

/** @internal Runs `fn` in `flow` and ends it when `fn` settles. */
export function runInFlow<T>(flow: FlowHandle, fn: (flow: Flow) => T): T {
  const fail = (error: unknown) => {
    if (isAbort(error)) return flow.end('cancelled', reasonOf(error));
    flow.span.recordException(error instanceof Error ? error : String(error));
    flow.end('error', reasonOf(error));
  };
  let result: T;
  try {
    result = flow.run(() => fn(flow));
  } catch (error) {
    fail(error);
    throw error;
  }
  // Not `instanceof Promise`: zone.js replaces the global Promise, and a native async function's
  // promise is then not an instance of it.
  if (isThenable(result)) {
    return result.then(
      (value) => {
        flow.end();
        return value;
      },
      (error: unknown) => {
        fail(error);
        throw error;
      },
    ) as T;
  }
  flow.end();
  return result;
}

/**
 * Runs `fn` inside a new flow span (nested under the active flow, if any) and ends it when `fn`
 * settles: `ok` when it returns or resolves, `error` (with the error's message as the reason) when
 * it throws or rejects, `cancelled` for an `AbortError`. The error itself reaches the caller
 * unchanged: it is the app's, not the SDK's.
 */
export function runFlow<T>(name: string, fn: (flow: Flow) => T, options: FlowOptions = {}): T {
  return runInFlow(openFlow(name, options, 'code'), fn);
}

/**
 * Wraps an event handler so each event runs in its own flow, the root of a new trace (a click is a
 * new user intention):
 * `button.addEventListener('click', clickFlow('room.create', async (event, flow) => {…}))`.
 */
export function clickFlow<E extends Event>(
  name: string,
  handler: (event: E, flow: Flow) => unknown,
  options: FlowOptions = {},
): (event: E) => void {
  return function flowtraceClickFlow(event: E) {
    // The handler's own rejection stays the app's unhandled rejection, as without the wrapper.
    // Not under the active span: zone.js runs a listener in the zone that *added* it, so a button
    // rendered inside an earlier flow would nest every later click under that finished flow.
    // Baggage (test id, session) stays.
    const parent = trace.deleteSpan(explicitContext());
    void runInFlow(openFlow(name, options, 'click', parent), (flow) => handler(event, flow));
  };
}
