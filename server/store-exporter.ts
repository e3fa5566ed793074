/**
 * A SpanExporter that writes server spans into the {@link TraceStore}, mapping each ended span
 * straight to a {@link SpanRecord}: no OTLP serialisation and JSON parse in between (that round
 * trip cost more than the rest of a recorded request).
 */
import { SpanKind, SpanStatusCode, type HrTime } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Attributes, SpanKindName, SpanRecord, StatusCodeName } from '../shared/span-record.ts';
import type { TraceStore } from './store.ts';

const KINDS: Record<SpanKind, SpanKindName> = {
  [SpanKind.INTERNAL]: 'internal',
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};
const STATUS: Record<SpanStatusCode, StatusCodeName> = {
  [SpanStatusCode.UNSET]: 'unset',
  [SpanStatusCode.OK]: 'ok',
  [SpanStatusCode.ERROR]: 'error',
};

/** Milliseconds since the epoch, sub-millisecond precision kept. */
function millis(time: HrTime): number {
  return time[0] * 1e3 + time[1] / 1e6;
}

/** Nanoseconds since the epoch in decimal, exact (the number would exceed 2^53). */
export function hrTimeToNanosString(time: HrTime): string {
  const seconds = Math.trunc(time[0]);
  const nanos = Math.trunc(time[1]);
  return seconds === 0 ? String(nanos) : `${seconds}${String(nanos).padStart(9, '0')}`;
}

// Resource attributes are the same object for every span of a provider: read them once.
const resources = new WeakMap<Resource, { attributes: Attributes; service: string }>();

function resourceOf(resource: Resource): { attributes: Attributes; service: string } {
  let known = resources.get(resource);
  if (!known) {
    const attributes = { ...resource.attributes } as Attributes;
    const service = attributes['service.name'];
    known = { attributes, service: typeof service === 'string' ? service : 'unknown_service' };
    resources.set(resource, known);
  }
  return known;
}

/** The stored record of one ended server span. */
export function spanToRecord(span: ReadableSpan): SpanRecord {
  const context = span.spanContext();
  const { attributes: resource, service } = resourceOf(span.resource);
  const parent = span.parentSpanContext?.spanId;
  const scope = span.instrumentationScope;
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    ...(parent ? { parentSpanId: parent } : {}),
    name: span.name,
    kind: KINDS[span.kind] ?? 'internal',
    service,
    side: 'server',
    startTime: millis(span.startTime),
    endTime: millis(span.endTime),
    startTimeUnixNano: hrTimeToNanosString(span.startTime),
    endTimeUnixNano: hrTimeToNanosString(span.endTime),
    resource,
    scope: scope.version ? { name: scope.name, version: scope.version } : { name: scope.name },
    // The SDK hands over its own objects and never touches them after the span ended.
    attributes: span.attributes as Attributes,
    status: {
      code: STATUS[span.status.code] ?? 'unset',
      ...(span.status.message ? { message: span.status.message } : {}),
    },
    events: span.events.map((event) => ({
      name: event.name,
      time: millis(event.time),
      timeUnixNano: hrTimeToNanosString(event.time),
      attributes: (event.attributes ?? {}) as Attributes,
    })),
    links: span.links.map((link) => {
      const traceState = link.context.traceState?.serialize();
      return {
        traceId: link.context.traceId,
        spanId: link.context.spanId,
        ...(traceState ? { traceState } : {}),
        attributes: (link.attributes ?? {}) as Attributes,
      };
    }),
  };
}

export class TraceStoreExporter implements SpanExporter {
  readonly #store: TraceStore;

  constructor(store: TraceStore) {
    this.#store = store;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    try {
      this.#store.add(spans.map(spanToRecord));
      resultCallback({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      resultCallback({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  async shutdown(): Promise<void> {}
}
