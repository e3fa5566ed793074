import { expect, test } from '@playwright/test';
import { adjustClockSkew } from './clock-skew.ts';
import type { Side, SpanRecord } from './span-record.ts';

function span(spanId: string, parentSpanId: string | undefined, side: Side, startTime: number, endTime: number): SpanRecord {
  return {
    traceId: 'a'.repeat(32),
    spanId,
    ...(parentSpanId ? { parentSpanId } : {}),
    name: spanId,
    kind: 'internal',
    service: side,
    side,
    startTime,
    endTime,
    attributes: {},
    status: { code: 'unset' },
    events: [{ name: 'e', time: startTime + 1, attributes: {} }],
    links: [],
  };
}

test('a server subtree drawn past the end of its browser parent is shifted inside it, children and events along', () => {
  const spans = [
    span('flow', undefined, 'browser', 1000, 1100),
    span('fetch', 'flow', 'browser', 1010, 1090),
    span('server', 'fetch', 'server', 1070, 1130), // the server clock runs 50 ms ahead
    span('db', 'server', 'server', 1080, 1120),
  ];
  const [flow, fetch, server, db] = adjustClockSkew(spans);
  expect(flow!.skewShiftMs).toBe(0);
  expect(fetch!.skewShiftMs).toBe(0);
  expect(server!.skewShiftMs).toBe(-50); // centred in fetch: 1010 + (80 - 60) / 2 = 1020
  expect([server!.startTime, server!.endTime]).toEqual([1020, 1080]);
  expect([db!.startTime, db!.endTime, db!.events[0]!.time]).toEqual([1030, 1070, 1031]);
});

test('spans that fit, and same-side children, are never moved', () => {
  const spans = [
    span('flow', undefined, 'browser', 1000, 1100),
    span('server', 'flow', 'server', 1010, 1090),
    span('late', 'server', 'server', 1095, 1200), // same clock as its parent: a real overrun, kept
  ];
  expect(adjustClockSkew(spans).map((s) => s.skewShiftMs)).toEqual([0, 0, 0]);
});
