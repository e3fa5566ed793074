/**
 * User-flow spans: a named span around what a user set out to do ("room.create"), with every
 * fetch and child span inside it. The flow span is named after the flow; its outcome is recorded
 * in `flowtrace.flow.outcome`.
 */
import { context, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { ATTR_FLOW_NAME, ATTR_FLOW_OUTCOME } from '../shared/attributes.ts';

/** How a flow ended. */
export type FlowOutcome = 'ok' | 'error' | 'cancelled' | 'unloaded';

export interface FlowOptions {
  /** Domain attributes of the flow (room id, participant count…), never personal data. */
  attributes?: Attributes;
  /**
   * Start a new trace instead of nesting under the active flow.
   * @default false for runFlow, true for clickFlow
   */
  root?: boolean;
}

/** The flow a callback runs in. */
export interface Flow {
  readonly span: Span;
  /** Adds domain attributes learnt during the flow. */
  setAttributes(attributes: Attributes): void;
}

const tracer = () => trace.getTracer('flowtrace');

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function endFlow(span: Span, outcome: FlowOutcome, reason?: string): void {
  span.setAttribute(ATTR_FLOW_OUTCOME, outcome);
  if (outcome === 'error') span.setStatus({ code: SpanStatusCode.ERROR, ...(reason ? { message: reason } : {}) });
  span.end();
}

/**
 * Runs `fn` inside a new flow span and ends it when `fn` settles: `ok` when it returns or
 * resolves, `error` (with the error's message as the reason) when it throws or rejects. The error
 * itself reaches the caller unchanged: it is the app's, not the SDK's.
 */
export function runFlow<T>(name: string, fn: (flow: Flow) => T, options: FlowOptions = {}): T {
  const span = tracer().startSpan(name, {
    root: options.root ?? false,
    attributes: { ...options.attributes, [ATTR_FLOW_NAME]: name },
  });
  const flow: Flow = { span, setAttributes: (attributes) => span.setAttributes(attributes) };
  const fail = (error: unknown) => {
    span.recordException(error instanceof Error ? error : String(error));
    endFlow(span, 'error', error instanceof Error ? error.message : String(error));
  };
  let result: T;
  try {
    result = context.with(trace.setSpan(context.active(), span), fn, undefined, flow);
  } catch (error) {
    fail(error);
    throw error;
  }
  // Not `instanceof Promise`: zone.js replaces the global Promise, and a native async function's
  // promise is then not an instance of it.
  if (isThenable(result)) {
    return result.then(
      (value) => {
        endFlow(span, 'ok');
        return value;
      },
      (error: unknown) => {
        fail(error);
        throw error;
      },
    ) as T;
  }
  endFlow(span, 'ok');
  return result;
}

/**
 * Wraps an event handler so each event runs in its own flow, the root of a new trace: a click is
 * a new user intention. (zone.js runs a listener in the zone that *added* it, so a button rendered
 * inside an earlier flow would otherwise nest every later click under that finished flow.)
 * `button.addEventListener('click', clickFlow('room.create', async (event, flow) => {…}))`.
 */
export function clickFlow<E extends Event>(
  name: string,
  handler: (event: E, flow: Flow) => unknown,
  options: FlowOptions = {},
): (event: E) => void {
  return function flowtraceClickFlow(event: E) {
    // The handler's own rejection stays the app's unhandled rejection, as without the wrapper.
    void runFlow(name, (flow) => handler(event, flow), { root: true, ...options });
  };
}
