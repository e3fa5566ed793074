// flowtrace/server/advanced: building blocks for setups the core does not cover (docs/server.md,
// "Advanced"): the trace store, context for other transports, CORS, the strict propagator,
// redaction for your own provider, more async helpers, and correlation across requests.
export { OtlpHttpExporter } from './otlp-exporter.ts';
export { TraceStore } from './store.ts';
export type { TraceQuery, TraceStoreOptions, TraceSummary } from './store.ts';
export type { IngestOptions } from './ingest.ts';
export { incomingContext } from './trust.ts';
export type { IncomingContext, IncomingContextOptions } from './trust.ts';
export { recordRequestError } from './http.ts';
export { createTraceCors, TRACE_REQUEST_HEADERS, withTraceHeaders } from './cors.ts';
export type { TraceCorsOptions } from './cors.ts';
export { REQUEST_ID_HEADER } from './request-id.ts';
export { StrictW3CTraceContextPropagator, isValidTraceState } from './w3c-propagator.ts';
export { RedactingSpanProcessor } from '../shared/redaction-processor.ts';
export { traceCallback, traceHandler, tracePromise, traceTimeout, traced } from './async.ts';
export { backgroundInFlight, drainBackground } from './background.ts';
export { CorrelationRegistry } from './correlation-registry.ts';
export type { CorrelationRegistryOptions } from './correlation-registry.ts';
