/**
 * Server tracer setup on sdk-trace-node: AsyncLocalStorage context, strict W3C propagators,
 * parent-based sampling, redaction before export, and where spans go (the in-process store, an
 * upstream exporter behind a capped queue, or both).
 */
import { context, diag, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type ReadableSpan, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { PROPAGATED_BAGGAGE_KEYS } from '../shared/attributes.ts';
import { BaggageAttributesSpanProcessor } from '../shared/baggage-attributes.ts';
import { OpenSpanTracker } from '../shared/open-spans.ts';
import { RedactingSpanProcessor, type RedactingSpanProcessorOptions } from '../shared/redaction-processor.ts';
import { ExportQueue, type ExportQueueOptions, type ExportStats } from './export-queue.ts';
import { OtlpHttpExporter, type OtlpExportOptions } from './otlp-exporter.ts';
import { PooledRandomIdGenerator } from './id-generator.ts';
import { createSampler } from './sampling.ts';
import { TraceStore } from './store.ts';
import { TraceStoreExporter } from './store-exporter.ts';
import type { TestExports } from './test-exports.ts';
import { createUnsampledRoots, registerUnsampledRoots } from './unsampled-roots.ts';
import { StrictW3CTraceContextPropagator } from './w3c-propagator.ts';

export interface ServerTracingOptions {
  /** @default 'flowtrace-server' */
  serviceName?: string;
  /**
   * Keep spans in an in-process {@link TraceStore} for the trace API, the viewer and tests.
   * Pass a store to share one, or `false` in production.
   * @default a new TraceStore
   */
  store?: TraceStore | false;
  /**
   * Export upstream over OTLP/HTTP protobuf with flowtrace's own exporter (faster than
   * OpenTelemetry's, and forwards browser spans with full fidelity), behind a capped queue.
   * Give either this or {@link exporter}.
   * @example { export: { url: 'http://collector:4318/v1/traces' } }
   */
  export?: OtlpExportOptions;
  /** Any upstream SpanExporter (for example OpenTelemetry's OTLPTraceExporter), behind a capped queue. */
  exporter?: SpanExporter;
  /** Queue and batch sizes for the upstream export; drops beyond `maxQueueSize` are counted. */
  exportQueue?: ExportQueueOptions;
  /**
   * Share of new root traces recorded; a trusted parent's decision is followed.
   * @default 1 when NODE_ENV is not 'production', else 0.1
   */
  sampleRatio?: number;
  /** Root ratio per user role (`user.roles`, set by the HTTP middleware's `identify`), e.g. `{ admin: 1 }`. */
  sampleRatioByRole?: Readonly<Record<string, number>>;
  /**
   * Scrub personal data (e-mail addresses, card numbers, bearer tokens) from every span before
   * it is stored or exported. `false` turns it off.
   * @default true
   */
  redact?: boolean | RedactingSpanProcessorOptions;
  /**
   * Longest {@link ServerTracing.shutdown} waits for the last export.
   * @default 5000
   */
  shutdownTimeoutMs?: number;
  /**
   * Register as the global tracer provider, context manager and propagator.
   * @default true
   */
  register?: boolean;
}

/** A running server tracing setup. */
export interface ServerTracing {
  readonly tracer: Tracer;
  readonly provider: NodeTracerProvider;
  /** The in-process store, unless disabled. */
  readonly store: TraceStore | undefined;
  readonly openSpans: OpenSpanTracker;
  /** Counts of the upstream exporter (all zero without one). */
  exportStats(): ExportStats;
  /**
   * The spans tagged with `testId` that the upstream exporter acknowledged, and their traces
   * (none without an exporter): how a test reading from the backend knows what to wait for.
   */
  exportedForTest(testId: string): TestExports;
  /**
   * Queues spans received from elsewhere (the ingest's browser spans) for the upstream exporter,
   * through the same capped queue as the server's spans; returns how many were dropped.
   * Undefined without an upstream exporter.
   */
  readonly forward: ((spans: readonly ReadableSpan[]) => number) | undefined;
  /** Exports every ended span now. */
  forceFlush(): Promise<void>;
  /**
   * Flushes and stops within `timeoutMs` (default `shutdownTimeoutMs`), never rejecting; further
   * spans are dropped. Resolves `false` when the export did not finish in time.
   */
  shutdown(timeoutMs?: number): Promise<boolean>;
}

/**
 * What the span-making helpers (traceDatabase, traceAsync, runInBackground, createTracedFetch)
 * take: the {@link ServerTracing} instance, so every span lands in its provider, registered
 * globally or not.
 */
export type TracerSource = Pick<ServerTracing, 'tracer'>;

/** Sets up server tracing. Call once, before the server handles requests. */
export function createServerTracing(options: ServerTracingOptions = {}): ServerTracing {
  const { serviceName = 'flowtrace-server', register = true, redact = true, shutdownTimeoutMs = 5000 } = options;
  if (options.export && options.exporter) {
    throw new TypeError('flowtrace: pass either `export` (options for flowtrace\'s OTLP exporter) or `exporter` (a SpanExporter), not both');
  }
  const exporter = options.exporter ?? (options.export ? new OtlpHttpExporter(options.export) : undefined);
  const store = options.store === false ? undefined : (options.store ?? new TraceStore());
  const openSpans = new OpenSpanTracker();
  const spanProcessors: SpanProcessor[] = [new BaggageAttributesSpanProcessor(PROPAGATED_BAGGAGE_KEYS)];
  // Open-span counts serve the store's trace API (tests wait on them); without a store, skip the cost.
  if (store) spanProcessors.push(openSpans);
  // Before every processor that stores or exports: processors see an ended span in order.
  if (redact) spanProcessors.push(new RedactingSpanProcessor(redact === true ? {} : redact));
  if (store) spanProcessors.push(new BatchSpanProcessor(new TraceStoreExporter(store), { scheduledDelayMillis: 100 }));
  const queue = exporter ? new ExportQueue(exporter, options.exportQueue) : undefined;
  if (queue) spanProcessors.push(queue);

  const sampler = createSampler({ ratio: options.sampleRatio, byRole: options.sampleRatioByRole });
  const idGenerator = new PooledRandomIdGenerator();
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    sampler,
    idGenerator,
    spanProcessors,
  });
  const tracer = provider.getTracer('flowtrace');
  if (sampler.rootRatio) registerUnsampledRoots(tracer, createUnsampledRoots(sampler.rootRatio, idGenerator));
  let contextManager: AsyncLocalStorageContextManager | undefined;
  if (register) {
    contextManager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(contextManager);
    propagation.setGlobalPropagator(
      new CompositePropagator({ propagators: [new StrictW3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
    );
    trace.setGlobalTracerProvider(provider);
  }

  let stopped: Promise<boolean> | undefined;
  async function stop(timeoutMs: number): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const finished = provider.shutdown().then(
      () => true,
      (error: unknown) => {
        diag.error('flowtrace: tracing shutdown failed', error);
        return true;
      },
    );
    const inTime = await Promise.race([finished, timedOut]);
    clearTimeout(timer);
    if (!inTime) diag.warn(`flowtrace: tracing shutdown gave up after ${timeoutMs} ms; unexported spans are lost`);
    if (register) {
      trace.disable();
      context.disable();
      propagation.disable();
      contextManager?.disable();
    }
    return inTime;
  }

  return {
    tracer,
    provider,
    store,
    openSpans,
    exportStats: () => ({ ...(queue?.stats ?? { exported: 0, failed: 0, dropped: 0, queued: 0 }) }),
    exportedForTest: (testId) => queue?.tests.forTest(testId) ?? { spans: 0, traceIds: [] },
    forward: queue ? (spans) => queue.offer(spans) : undefined,
    forceFlush: () => provider.forceFlush(),
    shutdown(timeoutMs = shutdownTimeoutMs) {
      stopped ??= stop(timeoutMs);
      return stopped;
    },
  };
}
