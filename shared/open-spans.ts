/**
 * Counts the spans that have started but not ended, per trace. The testing fixture treats a
 * trace with open spans as not yet settled.
 */
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';

export class OpenSpanTracker implements SpanProcessor {
  readonly #open = new Map<string, number>();
  #total = 0;
  readonly #idleWaiters = new Set<() => void>();

  onStart(span: Span, _parentContext: Context): void {
    const { traceId } = span.spanContext();
    this.#open.set(traceId, (this.#open.get(traceId) ?? 0) + 1);
    this.#total++;
  }

  onEnd(span: ReadableSpan): void {
    const { traceId } = span.spanContext();
    const open = this.#open.get(traceId);
    if (open === undefined) return;
    if (open <= 1) this.#open.delete(traceId);
    else this.#open.set(traceId, open - 1);
    if (--this.#total === 0) for (const wake of this.#idleWaiters) wake();
  }

  /** Spans started and not yet ended, over all traces. */
  get total(): number {
    return this.#total;
  }

  /**
   * Resolves once no span is open, or after `timeoutMs` with spans still open (the caller reads
   * {@link total} to tell which). Woken by the last span's end, never by polling.
   */
  whenIdle(timeoutMs: number): Promise<void> {
    if (this.#total === 0 || timeoutMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#idleWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#idleWaiters.add(done);
    });
  }

  /** Spans of `traceId` that have started and not yet ended. */
  openIn(traceId: string): number {
    return this.#open.get(traceId) ?? 0;
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {
    this.#open.clear();
    this.#total = 0;
    for (const wake of this.#idleWaiters) wake();
  }
}
