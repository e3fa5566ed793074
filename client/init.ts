/**
 * `createClientTracing`: the one call in the app shell that sets up browser tracing on OpenTelemetry web.
 */
import { context, diag, propagation, trace } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  WebTracerProvider,
} from '@opentelemetry/sdk-trace-web';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { ATTR_TEST_ID, PROPAGATED_BAGGAGE_KEYS } from '../shared/attributes.ts';
import { BaggageAttributesSpanProcessor } from '../shared/baggage-attributes.ts';
import { testHandle } from '../shared/test-handle.ts';
import { buildInfo } from './build-info.ts';
import { ContextCheckProcessor } from './context-checks.ts';
import { installClickFlows } from './click-flows.ts';
import { FlowContextManager, useFlowContextManager } from './context-manager.ts';
import { instrumentFetch } from './fetch.ts';
import { DefaultBaggagePropagator } from './default-baggage.ts';
import { flowRegistry } from './flow-registry.ts';
import { setDefaultFlowTimeout } from './flows.ts';
import { loadMediaInstrumentation } from './media-loader.ts';
import { openWork } from './open-work.ts';
import { OtlpJsonExporter } from './otlp-exporter.ts';
import { resolveOptions, type ClientTracingOptions } from './options.ts';
import { redactQueryInText, scrubPersonalData } from '../shared/redact.ts';
import { RedactingSpanProcessor } from '../shared/redaction-processor.ts';
import { Session } from './session.ts';
import { installUnloadFlush } from './unload.ts';
import { loadZoneContext } from './zone-loader.ts';

/** A running browser tracing setup. */
export interface ClientTracing {
  /** This tab session's id (`session.id`), sent as baggage and set on every span. */
  readonly sessionId: string;
  /**
   * Sets the app's opaque user id (`enduser.id`) once known, or clears it with `undefined`.
   * An email address or anything else that looks personal is refused (with a diag warning).
   */
  setUser(id: string | undefined): void;
  /** Resolves once lazily loaded parts (WebRTC, recording, zone.js in zone mode) are in place. Never rejects. */
  readonly ready: Promise<void>;
  /** Exports every ended span now. Never rejects. */
  forceFlush(): Promise<void>;
  /** Flushes, removes every listener, patch and timer, and stops tracing. Never rejects. */
  shutdown(): Promise<void>;
}

let active: ClientTracing | undefined;

/**
 * Sets up browser tracing once, in the app shell, before the app makes requests.
 * A second call returns the first setup unchanged.
 * @throws TypeError when an option is invalid, saying how to fix it.
 */
export function createClientTracing(options: ClientTracingOptions = {}): ClientTracing {
  const resolved = resolveOptions(options, globalThis.location?.href ?? 'http://localhost/', buildInfo());
  if (active) {
    diag.warn('flowtrace: createClientTracing was called twice; the second call is ignored');
    return active;
  }
  const test = resolved.testHooks ? testHandle() : undefined;
  const session = new Session();
  const baggageEntries = () => ({ ...(test ? { [ATTR_TEST_ID]: test.testId } : {}), ...session.entries() });
  const provider = new WebTracerProvider({
    // OpenTelemetry's default resource names the SDK (`telemetry.sdk.language: webjs`): a backend
    // such as Jaeger, which the ingest forwards to, tells the browser's spans apart by it.
    resource: defaultResource().merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: resolved.serviceName })),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(resolved.sampleRatio) }),
    spanProcessors: [
      // Defaults: a span outside any flow (a bare fetch) has no baggage yet still belongs to the test.
      new BaggageAttributesSpanProcessor(PROPAGATED_BAGGAGE_KEYS, test ? { [ATTR_TEST_ID]: test.testId } : {}),
      session,
      new ContextCheckProcessor(resolved),
      // Open spans and pending work: click flows, recordings, unload and the test hook read it.
      openWork,
      // Redacts sensitive query parameters and scrubs e-mail addresses, card numbers and bearer
      // tokens from the name, every attribute and event; it must come before the exporting
      // processor, which sees the span after it.
      new RedactingSpanProcessor({
        names: true,
        scrub: (value) => scrubPersonalData(redactQueryInText(value, resolved.sensitiveQueryParams)),
      }),
      new BatchSpanProcessor(new OtlpJsonExporter(resolved.ingestUrl), {
        scheduledDelayMillis: resolved.exportDelayMs,
      }),
    ],
  });
  const w3c = new CompositePropagator({
    propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
  });
  // The fallback also backs the transform: callbacks (`.then`, timers, listeners) and untransformed
  // code carry no context, and with exactly one flow open their spans join it.
  const contextManager = new FlowContextManager({ fallback: resolved.asyncContext !== 'zone' });
  provider.register({ contextManager, propagator: new DefaultBaggagePropagator(w3c, baggageEntries) });
  useFlowContextManager(contextManager);
  setDefaultFlowTimeout(resolved.flowTimeoutMs);
  const unregister = instrumentFetch({ propagateTo: resolved.propagateTo, ignoreUrls: [resolved.ingestUrl] });

  const forceFlush = () => provider.forceFlush().catch((error: unknown) => diag.warn('flowtrace: flush failed', error));
  const removals: Array<() => void> = [unregister, installUnloadFlush(openWork, forceFlush)];
  if (resolved.clickFlows) removals.push(installClickFlows(contextManager, openWork));
  const media = loadMediaInstrumentation(resolved);
  const zone = resolved.asyncContext === 'zone' ? loadZoneContext(contextManager) : Promise.resolve();
  if (test) {
    test.settle = async (waitMs = 0) => {
      await openWork.whenAllEnded(waitMs);
      await forceFlush();
      return { openSpans: openWork.openSpans };
    };
  }

  active = {
    sessionId: session.id,
    setUser: (id) => session.setUser(id),
    ready: Promise.all([media.ready, zone]).then(() => undefined),
    forceFlush,
    async shutdown() {
      for (const remove of removals.splice(0)) remove();
      await media.uninstall();
      await provider.shutdown().catch((error: unknown) => diag.warn('flowtrace: shutdown failed', error));
      flowRegistry.reset();
      setDefaultFlowTimeout();
      useFlowContextManager(undefined);
      trace.disable();
      context.disable();
      propagation.disable();
      if (test) delete test.settle;
      active = undefined;
    },
  };
  return active;
}
