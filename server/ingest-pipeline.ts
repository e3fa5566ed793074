/**
 * What the ingest does with a body once the HTTP layer (ingest.ts) has accepted and read it, as
 * visible stages:
 *
 *   decode (JSON or protobuf; gzip is undone before) → validate and limit → scrub → sinks
 *
 * Sinks are the in-process store (records for the viewer, the trace API and tests) and the upstream
 * exporter (the spans encoded field for field from the form they arrived in, so forwarding loses
 * nothing but what the scrub removed). Each stage only does the work a configured sink needs.
 */
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { encodeSpanFields } from '../otlp/encode-forwarded.ts';
import { ForwardedSpan, type OtlpJson } from '../otlp/forwarded-span.ts';
import { decodeOtlpJson, OtlpDecodeError, validateOtlpJson } from '../otlp/otlp-json.ts';
import { otlpProtobufToJson } from '../otlp/otlp-protobuf.ts';
import { ATTR_TEST_ID } from '../shared/attributes.ts';
import type { Side, SpanRecord } from '../shared/span-record.ts';
import { scrubOtlpResource, scrubOtlpSpan, scrubRecords } from './ingest-scrub.ts';

/** Where ingested spans go; at least one is needed. */
export interface IngestSinks {
  /** Keeps the spans as records (the in-process store). */
  store?: (spans: SpanRecord[]) => void;
  /**
   * Queues the spans for the upstream exporter; returns how many it had to drop (queue full).
   * Must not wait for the export.
   */
  upstream?: (spans: readonly ReadableSpan[]) => number;
}

export type Encoding = 'json' | 'protobuf';

/** What the pipeline did with one request. */
export interface IngestResult {
  received: number;
  /** Spans refused: past the per-request cap, or dropped by a full upstream queue. */
  rejected: number;
  message: string;
  /** No sink took the spans because the upstream queue is full: the sender should retry later. */
  retry: boolean;
}

type Request = { resourceSpans: OtlpJson[] };

/** What the export ledger (test-exports.ts) reads of every forwarded span. */
const KEPT_ATTRIBUTES = [ATTR_TEST_ID];

/** Stage 1: the body as an OTLP/JSON request, from either encoding. */
function decode(body: Buffer, encoding: Encoding): Request {
  if (encoding === 'protobuf') return otlpProtobufToJson(body);
  try {
    return JSON.parse(body.toString('utf8')) as Request;
  } catch (error) {
    throw new OtlpDecodeError(`body is not JSON: ${(error as Error).message}`);
  }
}

/** Stage 2b: keeps the first `max` spans of the wire form (the records are cut alike). */
function limit(request: Request, max: number): void {
  let left = max;
  for (const resourceSpans of request.resourceSpans) {
    for (const scopeSpans of (resourceSpans.scopeSpans as OtlpJson[] | undefined) ?? []) {
      const spans = (scopeSpans.spans as OtlpJson[] | undefined) ?? [];
      if (spans.length > left) scopeSpans.spans = spans.slice(0, left);
      left -= (scopeSpans.spans as OtlpJson[] | undefined)?.length ?? 0;
    }
  }
}

/**
 * Runs a read body through the stages into the sinks.
 * @throws {@link OtlpDecodeError} for a body that is not a valid OTLP export (answer 400).
 */
export function runIngestPipeline(body: Buffer, encoding: Encoding, side: Side, maxSpans: number, sinks: IngestSinks): IngestResult {
  const request = decode(body, encoding);
  // Stage 2: validation checks every field (an invalid one throws, naming it). The records are
  // built only for the store: a forwarding ingest sends the wire form on, and building records it
  // would throw away cost more than the checks themselves.
  const decoded = sinks.store ? decodeOtlpJson(request, side) : undefined;
  const received = decoded ? decoded.length : validateOtlpJson(request);
  const over = Math.max(0, received - maxSpans);
  if (over && sinks.upstream) limit(request, maxSpans);
  let message = over ? `${received} spans exceed the ${maxSpans}-span limit per request; send smaller batches` : '';
  let dropped = 0;
  // Stage 3 and 4: scrub each sink's form, then hand it over.
  if (sinks.upstream) {
    for (const resourceSpans of request.resourceSpans) scrubOtlpResource(resourceSpans.resource as OtlpJson | undefined);
    const spans: OtlpJson[] = [];
    const groups: [OtlpJson, OtlpJson][] = [];
    for (const resourceSpans of request.resourceSpans) {
      for (const scopeSpans of (resourceSpans.scopeSpans as OtlpJson[] | undefined) ?? []) {
        for (const span of (scopeSpans.spans as OtlpJson[] | undefined) ?? []) {
          scrubOtlpSpan(span);
          spans.push(span);
          groups.push([resourceSpans, scopeSpans]);
        }
        // The queue holds the encoded spans; the parsed ones can go with this request.
        scopeSpans.spans = [];
      }
    }
    // Encoded once here, with the JSON still young (see encodeSpanFields); the ledger's test id is read now.
    const wires = encodeSpanFields(spans, body.length);
    const forwarded = spans.map((span, i) => new ForwardedSpan(span, groups[i]![0], groups[i]![1], wires[i], KEPT_ATTRIBUTES));
    dropped = sinks.upstream(forwarded);
    if (dropped) message = `${message}${message ? '; ' : ''}${dropped} spans not forwarded: the upstream export queue is full`;
  }
  if (sinks.store && decoded) {
    const records = over ? decoded.slice(0, maxSpans) : decoded;
    scrubRecords(records);
    sinks.store(records);
  }
  // A span the store kept is not lost even if the upstream queue dropped it.
  return { received, rejected: over + (sinks.store ? 0 : dropped), message, retry: dropped > 0 && !sinks.store };
}
