/**
 * The one index of open work in the browser: every span that has started and not ended, and work
 * that is not a span (an upload between two attempts) registered against the span it belongs to.
 * Everything that waits for work reads it: an automatic click flow ends when its work is done, a
 * recording when its uploads are, unload ends what is still open, and the test hook settles when
 * nothing is open.
 */
import { diag, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_UNLOADED } from './attributes.ts';

/** @internal */
export class OpenWork implements SpanProcessor {
  readonly #spans = new Set<Span>();
  /** Per span id: its open child spans plus the pending work registered against it. */
  readonly #work = new Map<string, number>();
  readonly #onIdle = new Map<string, () => void>();
  readonly #allEnded = new Set<() => void>();

  onStart(span: Span, _parentContext: Context): void {
    this.#spans.add(span);
    const parent = span.parentSpanContext?.spanId;
    if (parent) this.#count(parent, 1);
  }

  onEnd(span: ReadableSpan): void {
    if (!this.#spans.delete(span as Span)) return;
    const parent = span.parentSpanContext?.spanId;
    if (parent) this.#count(parent, -1);
    if (this.#spans.size === 0) for (const wake of this.#allEnded) wake();
  }

  #count(spanId: string, delta: number): void {
    const open = (this.#work.get(spanId) ?? 0) + delta;
    if (open > 0) {
      this.#work.set(spanId, open);
      return;
    }
    this.#work.delete(spanId);
    const onIdle = this.#onIdle.get(spanId);
    if (!onIdle) return;
    this.#onIdle.delete(spanId);
    try {
      onIdle();
    } catch (error) {
      diag.warn('flowtrace: ending work after its children failed', error);
    }
  }

  /** Registers one piece of work under the span `spanId`; call the returned function (once counts) when it is done. */
  begin(spanId: string): () => void {
    this.#count(spanId, 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#count(spanId, -1);
    };
  }

  /** Calls `onIdle` once the span `spanId` has no open children and no pending work: maybe right away. */
  whenIdle(spanId: string, onIdle: () => void): void {
    if (this.#work.has(spanId)) this.#onIdle.set(spanId, onIdle);
    else onIdle();
  }

  /** Spans started and not yet ended. */
  get openSpans(): number {
    return this.#spans.size;
  }

  /**
   * Resolves once no span is open, or after `timeoutMs` with spans still open (read
   * {@link openSpans} to tell which). Woken by the last span's end, never by polling.
   */
  whenAllEnded(timeoutMs: number): Promise<void> {
    if (this.#spans.size === 0 || timeoutMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#allEnded.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#allEnded.add(done);
    });
  }

  /** Ends every span still open, marked `flowtrace.unloaded` (the page is going away). */
  endAll(): void {
    // Deleting the current entry while iterating a Set is safe: each span's end removes itself.
    for (const span of this.#spans) {
      span.setAttribute(ATTR_UNLOADED, true);
      span.end();
    }
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {
    this.#spans.clear();
    this.#work.clear();
    this.#onIdle.clear();
    for (const wake of this.#allEnded) wake();
  }
}

/** @internal The index the SDK registers; lazily loaded instrumentation (recording, uploads) reads it too. */
export const openWork = new OpenWork();
