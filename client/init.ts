/**
 * `initFlowtrace`: the one call in the app shell that sets up browser tracing on OpenTelemetry web.
 */
import { context, diag, propagation, trace } from '@opentelemetry/api';
import { ZoneContextManager } from '@opentelemetry/context-zone';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  WebTracerProvider,
} from '@opentelemetry/sdk-trace-web';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { ATTR_TEST_ID, PROPAGATED_BAGGAGE_KEYS } from '../shared/attributes.ts';
import { BaggageAttributesSpanProcessor } from '../shared/baggage-attributes.ts';
import { OpenSpanTracker } from '../shared/open-spans.ts';
import { DefaultBaggagePropagator } from './default-baggage.ts';
import { resolveOptions, type FlowtraceOptions } from './options.ts';
import { testHandle } from '../shared/test-handle.ts';

/** A running browser tracing setup. */
export interface FlowtraceClient {
  /** Exports every ended span now. Never rejects. */
  forceFlush(): Promise<void>;
  /** Flushes, removes the instrumentation and stops tracing. Never rejects. */
  shutdown(): Promise<void>;
}

let active: FlowtraceClient | undefined;

/**
 * Sets up browser tracing once, in the app shell, before the app makes requests.
 * A second call returns the first setup unchanged.
 * @throws TypeError when an option is invalid, saying how to fix it.
 */
export function initFlowtrace(options: FlowtraceOptions = {}): FlowtraceClient {
  const resolved = resolveOptions(options, globalThis.location?.href ?? 'http://localhost/');
  if (active) {
    diag.warn('flowtrace: initFlowtrace was called twice; the second call is ignored');
    return active;
  }
  const test = testHandle();
  const openSpans = new OpenSpanTracker();
  const provider = new WebTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: resolved.serviceName }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(resolved.sampleRatio) }),
    spanProcessors: [
      // Defaults: a span outside any flow (a bare fetch) has no baggage yet still belongs to the test.
      new BaggageAttributesSpanProcessor(PROPAGATED_BAGGAGE_KEYS, test ? { [ATTR_TEST_ID]: test.testId } : {}),
      openSpans,
      new BatchSpanProcessor(new OTLPTraceExporter({ url: resolved.ingestUrl }), {
        scheduledDelayMillis: resolved.exportDelayMs,
      }),
    ],
  });
  const w3c = new CompositePropagator({
    propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
  });
  provider.register({
    contextManager: new ZoneContextManager(),
    propagator: test ? new DefaultBaggagePropagator(w3c, { [ATTR_TEST_ID]: test.testId }) : w3c,
  });
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new FetchInstrumentation({
        propagateTraceHeaderCorsUrls: resolved.propagateTo,
        ignoreUrls: [resolved.ingestUrl],
      }),
    ],
  });

  const forceFlush = () => provider.forceFlush().catch((error: unknown) => diag.warn('flowtrace: flush failed', error));
  if (test) {
    test.settle = async () => {
      await forceFlush();
      return { openSpans: openSpans.total };
    };
  }

  active = {
    forceFlush,
    async shutdown() {
      unregister();
      await provider.shutdown().catch((error: unknown) => diag.warn('flowtrace: shutdown failed', error));
      trace.disable();
      context.disable();
      propagation.disable();
      if (test) delete test.settle;
      active = undefined;
    },
  };
  return active;
}
