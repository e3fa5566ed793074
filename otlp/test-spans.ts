/**
 * A corpus of real SDK spans for the OTLP tests (not shipped): every attribute type, events, an
 * exception, links with and without tracestate, every status, a remote parent, two scopes with and
 * without a version, and a resource of several attributes.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type Link } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** Ended spans from the OpenTelemetry SDK covering every field an OTLP trace export carries. */
export async function recordCorpus(): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'corpus',
      'service.version': '1.2.3',
      'deployment.environment.name': 'test',
      'host.cpu.count': 2,
      'process.runtime.versions': ['20', '22'],
    }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('flowtrace', '0.1.0');
  const bare = provider.getTracer('bare');
  const other = bare.startSpan('other');
  other.end();
  const links: Link[] = [
    { context: other.spanContext(), attributes: { 'link.reason': 'trust' } },
    {
      context: { traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), traceFlags: TraceFlags.SAMPLED, isRemote: true, traceState: new TraceState('vendor=x,other=y') },
    },
  ];
  const remote = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
    traceState: new TraceState('congo=t61rcWkgMzE'),
  });
  const parent = tracer.startSpan('GET /api/rooms/:id', { kind: SpanKind.SERVER, links }, remote);
  const attributes = {
    str: 'é ✓ — 𝄞',
    empty: '',
    int: 42,
    zero: 0,
    neg: -7,
    big: 2 ** 40,
    max: Number.MAX_SAFE_INTEGER,
    minus: -(2 ** 45),
    dbl: 1.5,
    tiny: -1e-300,
    yes: true,
    no: false,
    strings: ['a', 'b', ''],
    nums: [1, 2.5, -3],
    bools: [true, false],
    none: [],
    long: 'x'.repeat(300),
  };
  const child = tracer.startSpan('child', { kind: SpanKind.CLIENT, attributes }, trace.setSpan(ROOT_CONTEXT, parent));
  child.addEvent('retry', { attempt: 2, 'retry.reason': 'timeout' });
  child.addEvent('bare');
  child.recordException(new Error('boom'));
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'it broke' });
  child.end();
  for (const kind of [SpanKind.INTERNAL, SpanKind.PRODUCER, SpanKind.CONSUMER]) {
    bare.startSpan(`kind ${kind}`, { kind }, trace.setSpan(ROOT_CONTEXT, parent)).end();
  }
  parent.setStatus({ code: SpanStatusCode.OK });
  parent.end();
  await provider.forceFlush();
  return exporter.getFinishedSpans();
}
