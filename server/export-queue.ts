/**
 * OpenTelemetry's BatchSpanProcessor with the drops counted. Its queue is capped (so memory stays
 * bounded while a collector is unreachable, slow or failing), but it only logs how many spans it
 * dropped; this wrapper enforces the same cap itself and keeps the counts readable.
 */
import { diag, TraceFlags, type Context } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import {
  BatchSpanProcessor,
  type ReadableSpan,
  type Span,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { TestExportLedger } from './test-exports.ts';

/** What happened to the spans handed to an exporter. */
export interface ExportStats {
  /** Spans the exporter acknowledged. */
  exported: number;
  /** Spans in batches the exporter reported as failed (collector down, 5xx, timeout). */
  failed: number;
  /** Spans dropped because the queue was full (for a forwarding ingest: refused with 429, to be retried). */
  dropped: number;
  /** Spans waiting in the queue now. */
  queued: number;
}

export interface ExportQueueOptions {
  /** @default 2048 */
  maxQueueSize?: number;
  /** @default 512 */
  maxExportBatchSize?: number;
  /** @default 1000 */
  scheduledDelayMillis?: number;
  /** @default 10_000 */
  exportTimeoutMillis?: number;
}

class CountingExporter implements SpanExporter {
  /** Batches handed to the exporter whose result has not come back yet. */
  readonly #pending = new Set<Promise<void>>();

  constructor(
    readonly inner: SpanExporter,
    readonly stats: ExportStats,
    readonly ledger: TestExportLedger,
  ) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.stats.queued -= spans.length;
    let settle!: () => void;
    const pending = new Promise<void>((resolve) => (settle = resolve));
    this.#pending.add(pending);
    const finish = (result: ExportResult) => {
      if (result.code === ExportResultCode.SUCCESS) {
        this.stats.exported += spans.length;
        this.ledger.record(spans);
      } else this.stats.failed += spans.length;
      this.#pending.delete(pending);
      settle();
      done(result);
    };
    try {
      this.inner.export(spans, finish);
    } catch (error) {
      finish({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  /** Resolves once every batch handed over so far has its result counted. */
  settled(): Promise<void> {
    return Promise.all(this.#pending).then(() => undefined);
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/** A batching export processor with a hard queue cap and counted drops and failures. */
export class ExportQueue implements SpanProcessor {
  readonly stats: ExportStats = { exported: 0, failed: 0, dropped: 0, queued: 0 };
  /** What was exported per test id (see {@link TestExportLedger}). */
  readonly tests = new TestExportLedger();
  readonly #batch: BatchSpanProcessor;
  readonly #counting: CountingExporter;
  readonly #exporter: SpanExporter;
  readonly #max: number;

  constructor(exporter: SpanExporter, options: ExportQueueOptions = {}) {
    this.#exporter = exporter;
    this.#max = options.maxQueueSize ?? 2048;
    this.#counting = new CountingExporter(exporter, this.stats, this.tests);
    this.#batch = new BatchSpanProcessor(this.#counting, {
      maxQueueSize: this.#max,
      maxExportBatchSize: Math.min(options.maxExportBatchSize ?? 512, this.#max),
      scheduledDelayMillis: options.scheduledDelayMillis ?? 1000,
      exportTimeoutMillis: options.exportTimeoutMillis ?? 10_000,
    });
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.stats.queued >= this.#max) {
      this.stats.dropped++;
      return;
    }
    this.stats.queued++;
    this.#batch.onEnd(span);
  }

  /**
   * Queues spans that did not end in this process (the ingest's, to forward), all or none: when
   * they do not all fit, none is queued and all count as dropped, so the sender can be told to
   * retry the whole request rather than lose part of it. Returns how many were dropped.
   */
  offer(spans: readonly ReadableSpan[]): number {
    if (this.stats.queued + spans.length > this.#max) {
      this.stats.dropped += spans.length;
      return spans.length;
    }
    for (const span of spans) this.onEnd(span);
    return 0;
  }

  forceFlush(): Promise<void> {
    // A Collector that is down is counted in `stats.failed`; it must not fail the whole flush
    // (the trace API's flush, and so a test's settle, would fail with it).
    // The batch processor does not wait for a batch its timer already handed over; the exporter
    // does (bounded by its own export timeout), so a flush means "sent or given up", and the
    // counts (stats, the per-test ledger) include every batch handed over before it.
    return this.#batch
      .forceFlush()
      .then(() => this.#exporter.forceFlush?.())
      .then(() => this.#counting.settled())
      .catch((error: unknown) => diag.warn('flowtrace: a flush could not reach the Collector', error));
  }

  shutdown(): Promise<void> {
    return this.#batch.shutdown();
  }
}
