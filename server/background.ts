/**
 * Work that runs after the response (processing an uploaded recording, sending a mail): as a
 * child of the request's span, or as a new trace linked to it so a long job does not stretch the
 * request's trace. In-flight work is tracked so shutdown can wait for it.
 */
import { context, diag, propagation, ROOT_CONTEXT, trace, type Attributes, type Context } from '@opentelemetry/api';
import { recordError } from './record-error.ts';
import type { TracerSource } from './tracing.ts';

export interface BackgroundOptions {
  /**
   * `child`: a child span in the request's trace; `link`: a new trace with a link to it.
   * @default 'link'
   */
  mode?: 'child' | 'link';
  /** The context to continue or link to. @default the active context */
  from?: Context;
  attributes?: Attributes;
}

const inFlight = new Set<Promise<void>>();

/** Background operations started and not yet finished. */
export function backgroundInFlight(): number {
  return inFlight.size;
}

/** Resolves when every background operation running now has finished (or `timeoutMs` passed). */
export async function drainBackground(timeoutMs = 5000): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const done = Promise.all(inFlight).then(() => true);
  const result = await Promise.race([done, timedOut]);
  clearTimeout(timer);
  return result;
}

/**
 * Runs `work` on a later turn of the event loop as a span named `name`. Never rejects: a failure
 * is recorded on the span and reported through OpenTelemetry's diag logger.
 */
export function runInBackground(tracing: TracerSource, name: string, work: () => unknown, options: BackgroundOptions = {}): Promise<void> {
  const { mode = 'link', attributes } = options;
  const from = options.from ?? context.active();
  const { tracer } = tracing;
  const remote = trace.getSpanContext(from);
  let parent: Context = from;
  if (mode === 'link') {
    // A new trace, but the baggage (the test id, for one) still applies.
    const baggage = propagation.getBaggage(from);
    parent = baggage ? propagation.setBaggage(ROOT_CONTEXT, baggage) : ROOT_CONTEXT;
  }

  const done = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
    const span = tracer.startSpan(name, { attributes, links: mode === 'link' && remote ? [{ context: remote }] : [] }, parent);
    return context
      .with(trace.setSpan(parent, span), async () => work())
      .then(
        () => span.end(),
        (error: unknown) => {
          recordError(span, error);
          span.end();
          diag.error(`flowtrace: background work ${name} failed`, error);
        },
      );
  });
  inFlight.add(done);
  void done.finally(() => inFlight.delete(done));
  return done;
}
