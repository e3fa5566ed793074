import { expect, test } from '@playwright/test';
import { decodeJaegerTraces } from './jaeger-trace.ts';

const resource = (service: string, language: string) => ({
  attributes: [
    { key: 'service.name', value: { stringValue: service } },
    { key: 'telemetry.sdk.language', value: { stringValue: language } },
  ],
});

// The shape Jaeger v2.12's api/v3 answered here for one trace recorded by a browser and a server.
const answer = {
  result: {
    resourceSpans: [
      {
        resource: resource('simplycaster-web', 'webjs'),
        scopeSpans: [{ scope: { name: 's', version: '1' }, spans: [{ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), name: 'room.create', kind: 1, startTimeUnixNano: '1764860000123456789', endTimeUnixNano: '1764860000223456789', attributes: [{ key: 'n', value: { intValue: '7' } }], status: {} }] }],
      },
      {
        resource: resource('simplycaster-api', 'nodejs'),
        scopeSpans: [{ scope: { name: 'flowtrace' }, spans: [{ traceId: 'ab'.repeat(16), spanId: 'ef'.repeat(8), parentSpanId: 'cd'.repeat(8), name: 'POST /api/rooms', kind: 2, startTimeUnixNano: '1764860000130000000', endTimeUnixNano: '1764860000220000000', status: { code: 1 } }] }],
      },
    ],
  },
};

test('decodes an api/v3 answer, taking each span’s side from its resource: webjs is the browser', () => {
  const spans = decodeJaegerTraces(answer);
  expect(spans.map((span) => [span.name, span.service, span.side, span.parentSpanId])).toEqual([
    ['room.create', 'simplycaster-web', 'browser', undefined],
    ['POST /api/rooms', 'simplycaster-api', 'server', 'cd'.repeat(8)],
  ]);
  expect(spans[0]!.attributes).toEqual({ n: 7 });
  expect(spans[1]!.status).toEqual({ code: 'ok' });
});

test('an empty or missing result is no spans; a malformed span is an error naming its field', () => {
  expect(decodeJaegerTraces({ result: {} })).toEqual([]);
  expect(decodeJaegerTraces(null)).toEqual([]);
  const bad = structuredClone(answer);
  bad.result.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.traceId = 'nope';
  expect(() => decodeJaegerTraces(bad)).toThrow(/traceId must be a non-zero hex id/);
});
