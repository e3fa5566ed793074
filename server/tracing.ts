/**
 * Server tracer setup on sdk-trace-node: AsyncLocalStorage context, W3C propagators, parent-based
 * sampling, and where spans go (the in-process store, an upstream exporter, or both).
 */
import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { PROPAGATED_BAGGAGE_KEYS } from '../shared/attributes.ts';
import { BaggageAttributesSpanProcessor } from '../shared/baggage-attributes.ts';
import { OpenSpanTracker } from '../shared/open-spans.ts';
import { TraceStore } from './store.ts';
import { TraceStoreExporter } from './store-exporter.ts';

export interface ServerTracingOptions {
  /** @default 'flowtrace-server' */
  serviceName?: string;
  /**
   * Keep spans in an in-process {@link TraceStore} for the trace API, the viewer and tests.
   * Pass a store to share one, or `false` in production.
   * @default a new TraceStore
   */
  store?: TraceStore | false;
  /** An upstream exporter (for example OTLPTraceExporter to a Collector). */
  exporter?: SpanExporter;
  /**
   * Share of new root traces recorded; a parent's decision is followed.
   * @default 1 when NODE_ENV is not 'production', else 0.1
   */
  sampleRatio?: number;
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
  /** Exports every ended span now. */
  forceFlush(): Promise<void>;
  /** Flushes and stops; further spans are dropped. */
  shutdown(): Promise<void>;
}

function resolveRatio(ratio: number | undefined): number {
  if (ratio === undefined) return process.env.NODE_ENV === 'production' ? 0.1 : 1;
  if (!(ratio >= 0 && ratio <= 1)) {
    throw new RangeError(`flowtrace: sampleRatio must be a number from 0 to 1, got ${ratio}`);
  }
  return ratio;
}

/** Sets up server tracing. Call once, before the server handles requests. */
export function createServerTracing(options: ServerTracingOptions = {}): ServerTracing {
  const { serviceName = 'flowtrace-server', exporter, register = true } = options;
  const store = options.store === false ? undefined : (options.store ?? new TraceStore());
  const openSpans = new OpenSpanTracker();
  const spanProcessors: SpanProcessor[] = [new BaggageAttributesSpanProcessor(PROPAGATED_BAGGAGE_KEYS), openSpans];
  if (store) spanProcessors.push(new BatchSpanProcessor(new TraceStoreExporter(store), { scheduledDelayMillis: 100 }));
  if (exporter) spanProcessors.push(new BatchSpanProcessor(exporter));

  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(resolveRatio(options.sampleRatio)) }),
    spanProcessors,
  });
  if (register) {
    const contextManager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(contextManager);
    propagation.setGlobalPropagator(
      new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
    );
    trace.setGlobalTracerProvider(provider);
  }

  return {
    tracer: provider.getTracer('flowtrace'),
    provider,
    store,
    openSpans,
    forceFlush: () => provider.forceFlush(),
    async shutdown() {
      await provider.shutdown();
      if (register) {
        trace.disable();
        context.disable();
        propagation.disable();
      }
    },
  };
}
