/**
 * Counts the open direct children of watched spans, and says when a watched span has none left.
 * Automatic click flows end this way: when the work their click started has finished.
 */
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';

interface Watch {
  open: number;
  onIdle?: () => void;
}

export class ChildSpanWatcher implements SpanProcessor {
  readonly #watched = new Map<string, Watch>();

  /** Starts counting children of the span `spanId`. */
  watch(spanId: string): void {
    this.#watched.set(spanId, { open: 0 });
  }

  /** Calls `onIdle` (once) as soon as `spanId` has no open children, maybe right away. */
  whenIdle(spanId: string, onIdle: () => void): void {
    const watch = this.#watched.get(spanId);
    if (!watch || watch.open === 0) {
      this.#watched.delete(spanId);
      onIdle();
      return;
    }
    watch.onIdle = onIdle;
  }

  onStart(span: Span, _parentContext: Context): void {
    const parent = span.parentSpanContext?.spanId;
    const watch = parent ? this.#watched.get(parent) : undefined;
    if (watch) watch.open++;
  }

  onEnd(span: ReadableSpan): void {
    const parent = span.parentSpanContext?.spanId;
    const watch = parent ? this.#watched.get(parent) : undefined;
    if (!watch || !parent) return;
    watch.open--;
    if (watch.open <= 0 && watch.onIdle) {
      this.#watched.delete(parent);
      watch.onIdle();
    }
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {
    this.#watched.clear();
  }
}
