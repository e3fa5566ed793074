import { expect, test } from '@playwright/test';
import type { SpanRecord } from '../shared/span-record.ts';
import type { TraceSummary } from './store.ts';
import { renderTraceList, renderTracePage } from './viewer.ts';

const summary: TraceSummary = { traceId: 'a'.repeat(32), rootName: 'GET', rootLabel: 'GET /api/me', flows: [], spanCount: 2, startTime: 0, duration: 3, services: ['web'], hasError: false };
const root: SpanRecord = {
  traceId: 'a'.repeat(32), spanId: '1'.repeat(16), name: 'GET', kind: 'client', service: 'web', side: 'browser', startTime: 1000, endTime: 1010,
  attributes: { 'http.request.method': 'GET', 'url.full': 'http://h/api/me' }, status: { code: 'unset' }, events: [], links: [],
};

test('an empty list says how traces get there, or that the filters match none', () => {
  expect(renderTraceList([], {}, '/flowtrace')).toContain('No traces yet: use the app and they appear here.');
  expect(renderTraceList([], { service: 'api' }, '/flowtrace')).toContain('No traces match these filters.');
});

test('the list names roots by label and shows the test-id column only when a trace has a test id', () => {
  const plain = renderTraceList([summary], {}, '/flowtrace');
  expect(plain).toContain('>GET /api/me</a>');
  expect(plain).not.toContain('test id</th>');
  expect(renderTraceList([summary, { ...summary, testId: 't-1' }], {}, '/flowtrace')).toContain('<th>test id</th>');
});

test('a trace page is titled by its root and says whether the trace is whole', () => {
  const open = renderTracePage(root.traceId, { spans: [root], openSpans: 2, missingParents: ['9'.repeat(16)] }, '/flowtrace');
  expect(open).toContain('<title>GET /api/me</title>');
  expect(open).toContain('data-state="open"');
  expect(open).toContain('Still receiving: 2 open spans, 1 missing parent.');
  const whole = renderTracePage(root.traceId, { spans: [root], openSpans: 0, missingParents: [] }, '/flowtrace');
  expect(whole).toContain('Complete: no open spans and every parent present.');
  expect(whole).toContain('<pre id="ft-assertion">browser: GET [client]</pre>');
  expect(renderTracePage(root.traceId, { spans: [], openSpans: 0, missingParents: [] }, '/flowtrace')).toContain('data-state="waiting"');
});
