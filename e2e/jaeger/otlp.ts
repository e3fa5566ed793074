/**
 * Browser spans as a page's OTLP exporter sends them (OTLP/JSON), posted straight to the ingest, and
 * the raw OTLP/JSON Jaeger answers for a trace: for the specs that check what reaches the backend
 * field by field.
 */
import { randomBytes } from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';

export const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

type AnyValue = { stringValue: string } | { intValue: string } | { boolValue: boolean } | { doubleValue: number };

/** One span in an export request from a browser SDK (resource `telemetry.sdk.language: webjs`). */
export function browserExport(span: {
  traceId?: string;
  spanId?: string;
  name: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Record<string, AnyValue>;
  resource?: Record<string, AnyValue>;
  scope?: { name: string; version: string };
  links?: Array<{ traceId: string; spanId: string; traceState: string }>;
}) {
  const kv = (record: Record<string, AnyValue>) => Object.entries(record).map(([key, value]) => ({ key, value }));
  return {
    resourceSpans: [
      {
        resource: {
          attributes: kv({
            'service.name': { stringValue: 'simplycaster-web' },
            'telemetry.sdk.language': { stringValue: 'webjs' },
            ...span.resource,
          }),
        },
        scopeSpans: [
          {
            scope: span.scope ?? { name: 'flowtrace', version: '0.1.0' },
            spans: [
              {
                traceId: span.traceId ?? hex(16),
                spanId: span.spanId ?? hex(8),
                name: span.name,
                kind: 1,
                startTimeUnixNano: span.startTimeUnixNano,
                endTimeUnixNano: span.endTimeUnixNano,
                attributes: kv(span.attributes),
                links: span.links ?? [],
                status: {},
              },
            ],
          },
        ],
      },
    ],
  };
}

/** The raw OTLP/JSON Jaeger's api/v3 answers for a trace. */
export async function jaegerTrace(request: APIRequestContext, jaeger: string, traceId: string): Promise<JaegerResourceSpans[]> {
  const response = await request.get(`${jaeger}/api/v3/traces/${traceId}`);
  if (!response.ok()) throw new Error(`Jaeger answered ${response.status()} for ${traceId}: ${await response.text()}`);
  return ((await response.json()) as { result: { resourceSpans: JaegerResourceSpans[] } }).result.resourceSpans;
}

export interface JaegerResourceSpans {
  resource: { attributes: Array<{ key: string; value: Record<string, unknown> }> };
  scopeSpans: Array<{
    scope: { name?: string; version?: string };
    spans: Array<{
      spanId: string;
      name: string;
      startTimeUnixNano: string;
      endTimeUnixNano: string;
      attributes?: Array<{ key: string; value: Record<string, unknown> }>;
      links?: Array<{ traceId: string; spanId: string; traceState?: string }>;
    }>;
  }>;
}
