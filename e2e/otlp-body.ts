/**
 * OTLP/JSON export bodies for the viewer specs: traces of a chosen shape, posted to the real
 * ingest endpoint as a browser's exporter would, so the viewer reads them exactly as it reads the
 * app's own.
 */
import { randomBytes } from 'node:crypto';

/** One span to export; times are milliseconds after the trace's start. */
export interface SpanSpec {
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP span kind: 1 internal, 2 server, 3 client. @default 1 */
  kind?: number;
  start: number;
  end: number;
  attributes?: Record<string, string | number | boolean>;
  events?: Array<{ name: string; at: number; attributes?: Record<string, string | number> }>;
  links?: Array<{ traceId: string; spanId: string }>;
  status?: { code: 1 | 2; message?: string };
}

const START_NANOS = 1_700_000_000_000_000_000n;

/** A new random trace id. */
export function newTraceId(): string {
  return randomBytes(16).toString('hex');
}

/** The span id for a small number, zero-padded: readable in assertions. */
export function spanId(n: number): string {
  return n.toString(16).padStart(16, '0');
}

function attributes(values: Record<string, string | number | boolean> = {}) {
  return Object.entries(values).map(([key, value]) => ({
    key,
    value: typeof value === 'string' ? { stringValue: value } : typeof value === 'boolean' ? { boolValue: value } : Number.isInteger(value) ? { intValue: value } : { doubleValue: value },
  }));
}

const nanos = (ms: number) => String(START_NANOS + BigInt(Math.round(ms * 1e6)));

/** The export body of `spans` in one trace, recorded by `service`, each span tagged with `testId`. */
export function otlpBody(traceId: string, spans: readonly SpanSpec[], { service, testId }: { service: string; testId: string }) {
  return {
    resourceSpans: [{
      resource: { attributes: attributes({ 'service.name': service }) },
      scopeSpans: [{
        scope: { name: 'viewer-spec', version: '1.0.0' },
        spans: spans.map((span) => ({
          traceId,
          spanId: span.spanId,
          ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
          name: span.name,
          kind: span.kind ?? 1,
          startTimeUnixNano: nanos(span.start),
          endTimeUnixNano: nanos(span.end),
          attributes: attributes({ ...span.attributes, 'flowtrace.test_id': testId }),
          events: (span.events ?? []).map((event) => ({ name: event.name, timeUnixNano: nanos(event.at), attributes: attributes(event.attributes) })),
          links: span.links ?? [],
          ...(span.status ? { status: span.status } : {}),
        })),
      }],
    }],
  };
}
