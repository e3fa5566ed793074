/**
 * server.export_us_per_span: microseconds to encode one ended server span as OTLP protobuf with
 * flowtrace's encoder (otlp/encode-spans.ts), in batches of 512 as the export queue sends them.
 * server.export_us_per_span.otel: OpenTelemetry's ProtobufTraceSerializer on the same spans, in
 * the same run, rounds interleaved so both see the same machine load. Median of 15 rounds each,
 * in CPU microseconds of this process.
 * The spans are real SDK spans shaped like flowtrace's HTTP server spans (13 attributes).
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { encodeSpans } from '../otlp/encode-spans.ts';
import { median } from './stats.ts';

const BATCH = 512;
const BATCHES = 20;
const ROUNDS = 15;

function recordServerSpans(count: number): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'simplycaster', 'service.version': '0.1.0', 'telemetry.sdk.language': 'nodejs' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('flowtrace');
  for (let i = 0; i < count; i++) {
    const span = tracer.startSpan('POST /api/rooms', {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'POST',
        'url.path': '/api/rooms',
        'url.scheme': 'http',
        'http.route': '/api/rooms',
        'server.address': '127.0.0.1',
        'server.port': 3000,
        'client.address': '127.0.0.1',
        'network.protocol.version': '1.1',
        'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0',
        'flowtrace.request_id': `req-${i.toString(36).padStart(8, '0')}`,
        'flowtrace.test_id': 'bench',
        'user.roles': ['member'],
      },
    });
    span.setAttribute('http.response.status_code', 201);
    span.setStatus({ code: SpanStatusCode.UNSET });
    span.end();
  }
  return exporter.getFinishedSpans();
}

// CPU time of this process, not wall time: with seven engineers' runs on two cores (load average
// above 20 when this was written) wall time mostly measures the wait for a core.
function usPerSpan(batches: ReadableSpan[][], encode: (spans: ReadableSpan[]) => unknown): number {
  const before = process.cpuUsage();
  for (const batch of batches) encode(batch);
  const { user, system } = process.cpuUsage(before);
  return (user + system) / (batches.length * BATCH);
}

const ours = (batch: ReadableSpan[]) => encodeSpans(batch);
const otel = (batch: ReadableSpan[]) => ProtobufTraceSerializer.serializeRequest(batch);

export default async function exportEncode(): Promise<Record<string, number>> {
  const spans = recordServerSpans(BATCH * BATCHES);
  const batches = Array.from({ length: BATCHES }, (_, i) => spans.slice(i * BATCH, (i + 1) * BATCH));
  for (let i = 0; i < 3; i++) { // warm-up: JIT both paths
    usPerSpan(batches, ours);
    usPerSpan(batches, otel);
  }
  const oursRounds: number[] = [];
  const otelRounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    oursRounds.push(usPerSpan(batches, ours));
    otelRounds.push(usPerSpan(batches, otel));
  }
  return {
    'server.export_us_per_span': Math.round(median(oursRounds) * 100) / 100,
    'server.export_us_per_span.otel': Math.round(median(otelRounds) * 100) / 100,
  };
}
