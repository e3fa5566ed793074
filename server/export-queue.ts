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

/** Exports in flight at once; see {@link CountingExporter}. */
const MAX_IN_FLIGHT = 2;

/**
 * Counts what the inner exporter did, and lets up to {@link MAX_IN_FLIGHT} exports be in flight.
 * The batch processor hands over one batch at a time and waits for its result, so a forwarding
 * ingest was capped at one round trip (encode, gzip, POST, answer) per batch; with a second batch
 * encoding while the first is on the wire the queue drains about twice as fast. The processor is
 * told a batch is done as soon as a second slot is free; past that, a batch waits here (still
 * counted as queued, so the cap holds) until an export finishes.
 */
class CountingExporter implements SpanExporter {
  /** Batches handed to the exporter whose result has not come back yet. */
  readonly #pending = new Set<Promise<void>>();
  /** Batches handed over by the processor while every slot was busy (only a flush does that). */
  readonly #waiting: Array<() => void> = [];
  /** The processor's callbacks not yet called because no slot was free when their batch started. */
  readonly #held: Array<() => void> = [];
  #inFlight = 0;

  constructor(
    readonly inner: SpanExporter,
    readonly stats: ExportStats,
    readonly ledger: TestExportLedger,
  ) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    let settle!: () => void;
    const pending = new Promise<void>((resolve) => (settle = resolve));
    this.#pending.add(pending);
    const start = () => this.#start(spans, done, () => {
      this.#pending.delete(pending);
      settle();
    });
    if (this.#inFlight < MAX_IN_FLIGHT) start();
    else this.#waiting.push(start);
  }

  #start(spans: ReadableSpan[], done: (result: ExportResult) => void, settle: () => void): void {
    this.stats.queued -= spans.length;
    this.#inFlight++;
    let released = false;
    const release = (result: ExportResult) => {
      if (released) return;
      released = true;
      done(result);
    };
    // A free slot: the processor may hand over the next batch now. Failures are still counted
    // below and reported by the exporter; the processor only logs them.
    const early = () => release({ code: ExportResultCode.SUCCESS });
    if (this.#inFlight < MAX_IN_FLIGHT) early();
    else this.#held.push(early);
    let finished = false;
    const finish = (result: ExportResult) => {
      if (finished) return;
      finished = true;
      if (result.code === ExportResultCode.SUCCESS) {
        this.stats.exported += spans.length;
        this.ledger.record(spans);
      } else this.stats.failed += spans.length;
      this.#inFlight--;
      settle();
      const held = this.#held.indexOf(early);
      if (held >= 0) this.#held.splice(held, 1);
      release(result);
      const next = this.#waiting.shift();
      if (next) next();
      else this.#held.shift()?.();
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
