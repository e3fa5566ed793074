/**
 * Unload-safe export. When the page is hidden, ended spans are flushed (the OTLP exporter sends
 * with `keepalive` fetch, which outlives the page). When it is going away (`pagehide`), flows still
 * open end as `unloaded` and every other open span (a fetch cut short) ends, marked
 * `flowtrace.unloaded`, before the flush, so the server sees the whole trace.
 */
import { diag, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_UNLOADED } from './attributes.ts';
import { flowRegistry } from './flow-registry.ts';

/** Keeps the open spans themselves, so unload can end them. */
export class OpenSpanSet implements SpanProcessor {
  readonly #open = new Set<Span>();

  onStart(span: Span, _parentContext: Context): void {
    this.#open.add(span);
  }

  onEnd(span: ReadableSpan): void {
    this.#open.delete(span as Span);
  }

  /** Ends every span still open. */
  endAll(): void {
    for (const span of this.#open) {
      span.setAttribute(ATTR_UNLOADED, true);
      span.end();
    }
    this.#open.clear();
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {
    this.#open.clear();
  }
}

/** Installs the page lifecycle listeners; returns their removal. */
export function installUnloadFlush(openSpans: OpenSpanSet, flush: () => Promise<void>): () => void {
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') void flush();
  };
  const onPageHide = () => {
    try {
      flowRegistry.endAll('unloaded', 'the page was unloaded');
      openSpans.endAll();
    } catch (error) {
      diag.warn('flowtrace: ending open spans on pagehide failed', error);
    }
    void flush();
  };
  document.addEventListener('visibilitychange', onVisibility);
  addEventListener('pagehide', onPageHide);
  return function removeUnloadFlush() {
    document.removeEventListener('visibilitychange', onVisibility);
    removeEventListener('pagehide', onPageHide);
  };
}
