/**
 * Spans for async work under the current context: a promise, a callback, a timer, an event
 * handler, and a decorator for async methods. Call-site stacks (`code.stacktrace`) and heap
 * deltas are opt-in: both cost more than the span itself.
 */
import { context, trace, type Attributes, type Span } from '@opentelemetry/api';
import { ATTR_CODE_FUNCTION_NAME, ATTR_CODE_STACKTRACE, ATTR_MEMORY_HEAP_DELTA } from '../shared/attributes.ts';
import { recordError } from './record-error.ts';
import type { TracerSource } from './tracing.ts';

export interface TraceOptions {
  attributes?: Attributes;
  /** Record where the operation was started as `code.stacktrace`. @default false */
  captureStack?: boolean;
  /** Record the change in V8 heap used as `flowtrace.memory.heap_used_delta`. @default false */
  memoryDelta?: boolean;
}

interface Started {
  span: Span;
  heapBefore: number | undefined;
}

function startOperation(tracing: TracerSource, name: string, options: TraceOptions, caller: Function): Started {
  const span = tracing.tracer.startSpan(name, { attributes: options.attributes });
  if (options.captureStack && span.isRecording()) {
    const holder: { stack?: string } = {};
    Error.captureStackTrace(holder, caller);
    if (holder.stack) span.setAttribute(ATTR_CODE_STACKTRACE, holder.stack.replace(/^Error\n/, ''));
  }
  return { span, heapBefore: options.memoryDelta ? process.memoryUsage().heapUsed : undefined };
}

function endOperation({ span, heapBefore }: Started, error?: unknown): void {
  if (heapBefore !== undefined) span.setAttribute(ATTR_MEMORY_HEAP_DELTA, process.memoryUsage().heapUsed - heapBefore);
  if (error !== undefined) recordError(span, error);
  span.end();
}

/**
 * Runs `fn` as a span named `name`, a child of the active span; ends it when the returned promise
 * settles, recording a rejection as an error.
 */
export async function traceAsync<T>(tracing: TracerSource, name: string, fn: (span: Span) => Promise<T> | T, options: TraceOptions = {}): Promise<T> {
  const started = startOperation(tracing, name, options, traceAsync);
  try {
    const result = await context.with(trace.setSpan(context.active(), started.span), fn, undefined, started.span);
    endOperation(started);
    return result;
  } catch (error) {
    endOperation(started, error);
    throw error;
  }
}

/** Traces an existing promise from now until it settles. */
export function tracePromise<T>(tracing: TracerSource, name: string, promise: Promise<T>, options: TraceOptions = {}): Promise<T> {
  const started = startOperation(tracing, name, options, tracePromise);
  return promise.then(
    (value) => {
      endOperation(started);
      return value;
    },
    (error: unknown) => {
      endOperation(started, error);
      throw error;
    },
  );
}

type NodeCallback<R> = (error: unknown, result?: R) => void;

/**
 * Wraps a Node-style callback so the operation from now until it is called is a span; an error
 * argument marks the span failed. The callback runs in the context of the wrapper's caller.
 */
export function traceCallback<R>(tracing: TracerSource, name: string, callback: NodeCallback<R>, options: TraceOptions = {}): NodeCallback<R> {
  const started = startOperation(tracing, name, options, traceCallback);
  const parent = context.active();
  return function tracedCallback(error, result) {
    endOperation(started, error ?? undefined);
    return context.with(parent, () => callback(error, result));
  };
}

/** `setTimeout` whose callback runs as a span, a child of the context it was scheduled in. */
export function traceTimeout(tracing: TracerSource, name: string, fn: () => unknown, ms: number, options: TraceOptions = {}): ReturnType<typeof setTimeout> {
  const parent = context.active();
  return setTimeout(() => {
    void context.with(parent, () => traceAsync(tracing, name, fn, options)).catch(() => {});
  }, ms);
}

/**
 * Wraps an event handler so each call runs as a span, a child of the context the handler was
 * registered in (not of whatever happens to emit): `emitter.on('data', traceHandler('upload.chunk', onChunk))`.
 */
export function traceHandler<A extends unknown[]>(tracing: TracerSource, name: string, handler: (...args: A) => unknown, options: TraceOptions = {}): (...args: A) => void {
  const parent = context.active();
  return function tracedHandler(this: unknown, ...args: A): void {
    void context.with(parent, () => traceAsync(tracing, name, () => handler.apply(this, args), options)).catch(() => {});
  };
}

/**
 * A decorator (TC39 standard decorators) for async methods: each call runs as a span named
 * `name`, or `Class.method`.
 *
 * @example
 * class CreateRoom { @traced(tracing) async execute(input: Input) { ... } }
 */
export function traced(tracing: TracerSource, name?: string, options: TraceOptions = {}) {
  return function decorate<This, Args extends unknown[], R>(
    method: (this: This, ...args: Args) => Promise<R>,
    decoratorContext: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Promise<R>>,
  ) {
    const methodName = String(decoratorContext.name);
    return function tracedMethod(this: This, ...args: Args): Promise<R> {
      const className = (this as { constructor?: { name?: string } })?.constructor?.name;
      const spanName = name ?? (className ? `${className}.${methodName}` : methodName);
      return traceAsync(tracing, spanName, () => method.apply(this, args), {
        ...options,
        attributes: { [ATTR_CODE_FUNCTION_NAME]: methodName, ...options.attributes },
      });
    };
  };
}

