/**
 * Decodes Jaeger v2's query API (api/v3) answers, which are OTLP/JSON (`{ result: { resourceSpans } }`),
 * into {@link SpanRecord}s with the same decoder as the ingest. The side (browser or server) is a
 * property of the resource there, so each resource is decoded on its own: OpenTelemetry's browser
 * SDK marks its resource `telemetry.sdk.language: webjs`.
 */
import { decodeOtlpJson } from './otlp-json.ts';
import type { Side, SpanRecord } from '../shared/span-record.ts';

interface ResourceSpansJson {
  resource?: { attributes?: Array<{ key: string; value?: { stringValue?: string } }> };
}

function sideOf(resourceSpans: ResourceSpansJson): Side {
  const language = resourceSpans.resource?.attributes?.find((a) => a.key === 'telemetry.sdk.language')?.value?.stringValue;
  return language === 'webjs' ? 'browser' : 'server';
}

/** The spans of an api/v3 answer (one trace, or a search's traces). */
export function decodeJaegerTraces(body: unknown): SpanRecord[] {
  const resourceSpans = (body as { result?: { resourceSpans?: ResourceSpansJson[] } } | null)?.result?.resourceSpans ?? [];
  return resourceSpans.flatMap((rs) => decodeOtlpJson({ resourceSpans: [rs] }, sideOf(rs)));
}
