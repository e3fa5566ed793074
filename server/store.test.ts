import { expect, test } from '@playwright/test';
import type { SpanRecord } from '../shared/span-record.ts';
import { estimateSpanBytes } from './span-size.ts';
import { TraceStore } from './store.ts';

let next = 1;
function span(traceNo: number, overrides: Partial<SpanRecord> = {}): SpanRecord {
  return {
    traceId: traceNo.toString(16).padStart(32, '0'),
    spanId: (next++).toString(16).padStart(16, '0'),
    name: 'work',
    kind: 'internal',
    service: 'svc',
    side: 'server',
    startTime: 1000 + traceNo,
    endTime: 1010 + traceNo,
    attributes: {},
    status: { code: 'unset' },
    events: [],
    links: [],
    ...overrides,
  };
}

test('evicts the oldest traces first when over the span cap', () => {
  const store = new TraceStore({ maxSpans: 4 });
  store.add([span(1), span(1)]);
  store.add([span(2), span(2)]);
  store.add([span(3)]);
  expect(store.trace(span(1).traceId)).toEqual([]);
  expect(store.trace(span(2).traceId)).toHaveLength(2);
  expect(store.spanCount).toBe(3);
});

test('evicts the oldest traces first when over the byte cap, and forgets their test ids', () => {
  const big = 'x'.repeat(10_000);
  const store = new TraceStore({ maxBytes: 50_000 });
  store.add([span(1, { attributes: { 'flowtrace.test_id': 't1', payload: big } })]);
  store.add([span(2, { attributes: { 'flowtrace.test_id': 't2', payload: big } })]);
  expect(store.traceCount).toBe(2);
  store.add([span(3, { attributes: { payload: big } })]);
  expect(store.traceIdsForTest('t1')).toEqual([]);
  expect(store.traceIdsForTest('t2')).toHaveLength(1);
  expect(store.bytes).toBeLessThanOrEqual(50_000);
  expect(store.bytes).toBe(store.search().reduce((sum, s) => sum + store.trace(s.traceId).reduce((b, sp) => b + estimateSpanBytes(sp), 0), 0));
});

test('replacing a span keeps the counts right', () => {
  const store = new TraceStore();
  const first = span(7);
  store.add([first]);
  store.add([{ ...first, name: 'renamed-longer' }]);
  expect(store.spanCount).toBe(1);
  expect(store.bytes).toBe(estimateSpanBytes({ ...first, name: 'renamed-longer' }));
});

test('searches by test id, flow name, service and error, newest first', () => {
  const store = new TraceStore();
  store.add([span(10, { name: 'room.create', side: 'browser', service: 'web', attributes: { 'flowtrace.flow.name': 'room.create', 'flowtrace.test_id': 'a' } })]);
  store.add([span(11, { name: 'GET /api/rooms', status: { code: 'error' }, attributes: { 'flowtrace.test_id': 'a' } })]);
  store.add([span(12, { name: 'other' })]);
  expect(store.search({ testId: 'a' }).map((s) => s.rootName)).toEqual(['GET /api/rooms', 'room.create']);
  expect(store.search({ name: 'room.cr' }).map((s) => s.rootName)).toEqual(['room.create']);
  expect(store.search({ service: 'web' }).map((s) => s.rootName)).toEqual(['room.create']);
  expect(store.search({ error: true }).map((s) => s.rootName)).toEqual(['GET /api/rooms']);
  expect(store.search({ limit: 1 }).map((s) => s.rootName)).toEqual(['other']);
  expect(store.summary(span(10).traceId)).toMatchObject({ flows: ['room.create'], spanCount: 1, duration: 10, hasError: false });
});
