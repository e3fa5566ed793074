import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { expect, test } from '@playwright/test';
import { decodeOtlpJson } from '../otlp/otlp-json.ts';
import { OtlpJsonExporter } from './otlp-exporter.ts';

function record() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('flowtrace');
  const flow = tracer.startSpan('room.create', { attributes: { 'simplycaster.room.count': 2, ok: true, ratio: 0.5, tags: ['a', 'b'] } });
  flow.addEvent('checked', { step: 'name' });
  flow.setStatus({ code: SpanStatusCode.ERROR, message: 'taken' });
  const child = tracer.startSpan('GET', { kind: SpanKind.CLIENT, attributes: { 'url.full': 'https://x.test/a?token=t0p&room=1' } }, undefined);
  child.end();
  flow.end();
  return exporter.getFinishedSpans();
}

test('a batch is posted as OTLP/JSON that decodes back with the same ids, kinds, times, attributes, events and status', async () => {
  const spans = record();
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      bodies.push(`${req.headers['content-type']}\n${body}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  try {
    const exporter = new OtlpJsonExporter(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`);
    const result = await new Promise<ExportResult>((done) => exporter.export(spans, done));
    expect(result.code).toBe(ExportResultCode.SUCCESS);
  } finally {
    server.close();
  }
  const [contentType, body] = bodies[0]!.split('\n');
  expect(contentType).toBe('application/json');
  const decoded = decodeOtlpJson(JSON.parse(body!), 'browser');
  expect(decoded).toHaveLength(2);
  const flow = decoded.find((span) => span.name === 'room.create')!;
  const original = spans.find((span) => span.name === 'room.create')!;
  expect(flow.spanId).toBe(original.spanContext().spanId);
  expect(flow.attributes).toEqual({ 'simplycaster.room.count': 2, ok: true, ratio: 0.5, tags: ['a', 'b'] });
  expect(flow.status).toEqual({ code: 'error', message: 'taken' });
  expect(flow.events.map((e) => [e.name, e.attributes])).toEqual([['checked', { step: 'name' }]]);
  expect(flow.startTime).toBeCloseTo(original.startTime[0] * 1e3 + original.startTime[1] / 1e6, 2);
  expect(decoded.find((span) => span.name === 'GET')!.kind).toBe('client');
});
