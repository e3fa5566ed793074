import { expect, test } from '@playwright/test';
import type { SpanRecord } from '../shared/span-record.ts';
import { settleProblems } from './settle-problems.ts';

const server: SpanRecord = {
  traceId: 'a'.repeat(32), spanId: '2'.repeat(16), parentSpanId: '1'.repeat(16), name: 'POST /api/rooms', kind: 'server',
  service: 'simplycaster-api', side: 'server', startTime: 1, endTime: 2, attributes: {}, status: { code: 'unset' }, events: [], links: [],
};

test('a settled set of traces has no problems', () => {
  expect(settleProblems([{ traceId: server.traceId, spans: [{ ...server, parentSpanId: undefined }], openSpans: 0, missingParents: [] }], [], { minTraces: 1, testId: 't' })).toEqual([]);
});

test('names the missing parent, who refers to it, and where it should come from', () => {
  const problems = settleProblems(
    [{ traceId: server.traceId, spans: [server], openSpans: 1, missingParents: ['1'.repeat(16)] }],
    [{ url: 'http://localhost/', openSpans: 2 }],
    { minTraces: 2, testId: 't1' },
  );
  expect(problems).toEqual([
    '2 browser span(s) still open in http://localhost/',
    '1 trace(s) for test t1, expected at least 2',
    `trace ${'a'.repeat(32)}: 1 server span(s) still open`,
    `trace ${'a'.repeat(32)}: parent span ${'1'.repeat(16)} missing, referred to by "POST /api/rooms" [server] of simplycaster-api (server); expected from the caller, such as a browser page that has not exported it or was closed first`,
  ]);
});

test('no traces at all says what to check', () => {
  expect(settleProblems([], [], { minTraces: 1, testId: 't2' })[0]).toMatch(/^no spans tagged with test id t2 yet \(is the page set up with createClientTracing/);
});
