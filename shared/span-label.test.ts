import { expect, test } from '@playwright/test';
import { labelShape, spanLabel, traceTitle } from './span-label.ts';
import type { SpanRecord } from './span-record.ts';

function span(id: string, parent: string | undefined, fields: Partial<SpanRecord>): SpanRecord {
  return {
    traceId: 'a'.repeat(32), spanId: id.padStart(16, '0'), ...(parent ? { parentSpanId: parent.padStart(16, '0') } : {}),
    name: 'span', kind: 'internal', service: 'web', side: 'browser', startTime: 1000, endTime: 1001,
    attributes: {}, status: { code: 'unset' }, events: [], links: [], ...fields,
  };
}

const fetchSpan = (url: string, extra: Record<string, string> = {}) =>
  span('2', undefined, { name: 'PUT', kind: 'client', attributes: { 'http.request.method': 'PUT', 'url.full': url, ...extra } });
const serverSpan = span('3', '2', { name: 'PUT /api/recordings/:id/chunks', kind: 'server', side: 'server', attributes: { 'http.request.method': 'PUT', 'http.route': '/api/recordings/:id/chunks' } });

test('a browser request named by its method reads as method and the server route of its child', () => {
  expect(spanLabel(fetchSpan('http://localhost/api/recordings/7/chunks?seq=3'), [serverSpan])).toBe('PUT /api/recordings/:id/chunks');
});

test('without a server child it reads as method and path, the query left out', () => {
  expect(spanLabel(fetchSpan('http://localhost/api/recordings/7/chunks?token=secret'))).toBe('PUT /api/recordings/7/chunks');
});

test('url.template wins over the route and the path', () => {
  expect(spanLabel(fetchSpan('http://localhost/x/1', { 'url.template': '/x/{id}' }), [serverSpan])).toBe('PUT /x/{id}');
});

test('a span named by more than its method keeps its name', () => {
  expect(spanLabel(span('1', undefined, { name: 'room.create', attributes: { 'http.request.method': 'POST' } }))).toBe('room.create');
  expect(spanLabel(serverSpan)).toBe('PUT /api/recordings/:id/chunks');
});

test('id-like path segments take one shape, names do not', () => {
  expect(labelShape('PUT /api/recordings/12/tracks/3f2b8c1e-aaaa-bbbb-cccc-0123456789ab/chunks/4')).toBe('PUT /api/recordings/:id/tracks/:id/chunks/:id');
  expect(labelShape('GET /api/rooms')).toBe('GET /api/rooms');
});

test('a trace is titled by its root\'s label, or the earliest orphan when the root has not arrived', () => {
  expect(traceTitle([fetchSpan('http://localhost/api/recordings/7/chunks'), serverSpan])).toBe('PUT /api/recordings/:id/chunks');
  expect(traceTitle([span('5', '9', { name: 'late', startTime: 2000 }), span('6', '9', { name: 'early', startTime: 1500 })])).toBe('early');
  expect(traceTitle([])).toBeUndefined();
});
