/**
 * New root traces that the root ratio drops, started without the SDK.
 *
 * For a request with no parent to follow, the SDK's startSpan draws a span id and a trace id,
 * sanitises the attributes and links, asks ParentBasedSampler and then the root ratio, counts the
 * span for its metrics and wraps the ids in a NonRecordingSpan: a large share of an unrecorded
 * request's cost (docs/server.md, "Where the time goes"). With a plain ratio the decision reads
 * the trace id alone, so it is made here first, on the id the SDK would use
 * ({@link PooledRandomIdGenerator.peekTraceId}): a dropped root becomes a NonRecordingSpan at once,
 * and a sampled one goes to the SDK, which takes that same id. A parent to follow, a role with its
 * own ratio, or suppressed tracing always goes through the SDK.
 */
import { trace, TraceFlags, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import type { PooledRandomIdGenerator } from './id-generator.ts';
import type { RandomnessRatioSampler } from './sampling.ts';

/**
 * Starts a dropped root as a NonRecordingSpan under `parent`, or returns undefined: the trace is
 * sampled, or not a new root, and the SDK must start it.
 */
export type StartUnsampledRoot = (parent: Context) => Span | undefined;

// Keyed by the tracer a ServerTracing hands out: the middleware gets the tracing instance, and a
// tracer from anywhere else (another provider, another sampler) finds nothing here.
const byTracer = new WeakMap<Tracer, StartUnsampledRoot>();

/** Builds the fast path for a tracer whose provider samples new roots by `ratio` with ids from `ids`. */
export function createUnsampledRoots(ratio: RandomnessRatioSampler, ids: PooledRandomIdGenerator): StartUnsampledRoot {
  return function startUnsampledRoot(parent: Context): Span | undefined {
    const parentSpan = trace.getSpanContext(parent);
    // ParentBasedSampler follows a valid parent; only a new root is the root ratio's to decide.
    if (parentSpan && trace.isSpanContextValid(parentSpan)) return undefined;
    if (isTracingSuppressed(parent)) return undefined;
    const traceId = ids.peekTraceId();
    if (ratio.samples(traceId)) return undefined;
    ids.generateTraceId(); // the peeked id, used up here
    return trace.wrapSpanContext({ traceId, spanId: ids.generateSpanId(), traceFlags: TraceFlags.NONE });
  };
}

/** Makes the fast path available to middleware built on `tracer`. */
export function registerUnsampledRoots(tracer: Tracer, start: StartUnsampledRoot): void {
  byTracer.set(tracer, start);
}

/** The fast path for `tracer`, when its sampler allows one. */
export function unsampledRootsFor(tracer: Tracer): StartUnsampledRoot | undefined {
  return byTracer.get(tracer);
}
