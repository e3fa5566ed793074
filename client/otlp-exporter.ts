/**
 * A small OTLP/HTTP JSON span exporter for the page. OpenTelemetry's OTLPTraceExporter brings
 * a generic transport stack (retries, compression, logs API) of ~6 KB min+gz; the page needs one
 * thing: POST the batch as OTLP/JSON with `keepalive`, so a batch sent while the page unloads
 * still arrives. Field mapping: https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding
 */
import { diag, type Attributes, type AttributeValue, type HrTime } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

// Chromium refuses keepalive bodies once 64 KiB are in flight; bigger batches go without it.
const KEEPALIVE_LIMIT = 60_000;

type AnyValue = Record<string, unknown>;

function anyValue(value: AttributeValue | undefined): AnyValue {
  if (Array.isArray(value)) return { arrayValue: { values: value.map((item) => anyValue(item ?? undefined)) } };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: value } : { doubleValue: value };
  return { stringValue: String(value ?? '') };
}

function keyValues(attributes: Attributes = {}): Array<{ key: string; value: AnyValue }> {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(value) }));
}

function nanos([seconds, ns]: HrTime): string {
  return seconds === 0 ? String(ns) : `${seconds}${String(ns).padStart(9, '0')}`;
}

/** @internal Encodes spans as an OTLP/JSON `ExportTraceServiceRequest`. */
export function encodeSpans(spans: readonly ReadableSpan[]): unknown {
  const resources = new Map<ReadableSpan['resource'], Map<string, ReadableSpan[]>>();
  for (const span of spans) {
    let scopes = resources.get(span.resource);
    if (!scopes) resources.set(span.resource, (scopes = new Map()));
    const scope = `${span.instrumentationScope.name}@${span.instrumentationScope.version ?? ''}`;
    scopes.set(scope, [...(scopes.get(scope) ?? []), span]);
  }
  return {
    resourceSpans: [...resources].map(([resource, scopes]) => ({
      resource: { attributes: keyValues(resource.attributes as Attributes) },
      scopeSpans: [...scopes.values()].map((group) => ({
        scope: { name: group[0]!.instrumentationScope.name, version: group[0]!.instrumentationScope.version },
        spans: group.map((span) => ({
          traceId: span.spanContext().traceId,
          spanId: span.spanContext().spanId,
          ...(span.parentSpanContext ? { parentSpanId: span.parentSpanContext.spanId } : {}),
          name: span.name,
          kind: span.kind + 1,
          startTimeUnixNano: nanos(span.startTime),
          endTimeUnixNano: nanos(span.endTime),
          attributes: keyValues(span.attributes),
          droppedAttributesCount: span.droppedAttributesCount,
          events: span.events.map((event) => ({ timeUnixNano: nanos(event.time), name: event.name, attributes: keyValues(event.attributes) })),
          links: span.links.map((link) => ({ traceId: link.context.traceId, spanId: link.context.spanId, attributes: keyValues(link.attributes) })),
          status: { code: span.status.code, ...(span.status.message ? { message: span.status.message } : {}) },
        })),
      })),
    })),
  };
}

export class OtlpJsonExporter implements SpanExporter {
  readonly #url: string;
  // Taken before the fetch instrumentation wraps fetch, so exports never trace themselves.
  readonly #fetch = globalThis.fetch.bind(globalThis);
  readonly #pending = new Set<Promise<unknown>>();

  constructor(url: string) {
    this.#url = url;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    let body: string;
    try {
      body = JSON.stringify(encodeSpans(spans));
    } catch (error) {
      resultCallback({ code: ExportResultCode.FAILED, error: error as Error });
      return;
    }
    const sent = this.#fetch(this.#url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      keepalive: body.length < KEEPALIVE_LIMIT,
    }).then(
      (response) => {
        if (response.ok) return resultCallback({ code: ExportResultCode.SUCCESS });
        diag.warn(`flowtrace: span export answered ${response.status}`);
        resultCallback({ code: ExportResultCode.FAILED, error: new Error(`ingest answered ${response.status}`) });
      },
      (error: unknown) => {
        diag.warn('flowtrace: span export failed', error);
        resultCallback({ code: ExportResultCode.FAILED, error: error as Error });
      },
    );
    this.#pending.add(sent);
    void sent.finally(() => this.#pending.delete(sent));
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.#pending);
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
  }
}
