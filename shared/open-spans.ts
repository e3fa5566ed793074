/**
 * Counts the spans that have started but not ended, per trace. The testing fixture treats a
 * trace with open spans as not yet settled.
 */
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';

export class OpenSpanTracker implements SpanProcessor {
  readonly #open = new Map<string, number>();

  onStart(span: Span, _parentContext: Context): void {
    const { traceId } = span.spanContext();
    this.#open.set(traceId, (this.#open.get(traceId) ?? 0) + 1);
  }

  onEnd(span: ReadableSpan): void {
    const { traceId } = span.spanContext();
    const open = (this.#open.get(traceId) ?? 1) - 1;
    if (open <= 0) this.#open.delete(traceId);
    else this.#open.set(traceId, open);
  }

  /** Spans started and not yet ended, over all traces. */
  get total(): number {
    let total = 0;
    for (const open of this.#open.values()) total += open;
    return total;
  }

  /** Spans of `traceId` that have started and not yet ended. */
  openIn(traceId: string): number {
    return this.#open.get(traceId) ?? 0;
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {
    this.#open.clear();
  }
}
