import { expect, test } from '@playwright/test';
import type { SpanRecord } from '../shared/span-record.ts';
import type { TraceSummary } from './store.ts';
import { assertionText, renderTraceList, renderTracePage } from './viewer.ts';

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
  // The assertion text is not in the page: it loads when copied or shown.
  expect(whole).toContain(`<pre id="ft-assertion" data-src="/flowtrace/viewer/trace/${root.traceId}/assertion"></pre>`);
  expect(renderTracePage(root.traceId, { spans: [], openSpans: 0, missingParents: [] }, '/flowtrace')).toContain('data-state="waiting"');
});

test('the assertion text is the largest tree, noting the roots left out', () => {
  const child: SpanRecord = { ...root, spanId: '2'.repeat(16), parentSpanId: root.spanId, name: 'GET /api/me', kind: 'server', side: 'server' };
  const other: SpanRecord = { ...root, spanId: '3'.repeat(16), name: 'stray' };
  expect(assertionText([root, child, other])).toBe('# 1 more root(s) left out: a tree assertion has one root\nbrowser: GET [client]\n  server: GET /api/me [server]');
  expect(assertionText([])).toBeUndefined();
});

test('live results carry a digest that changes with their content only', () => {
  const digest = (html: string) => /<div id="ft-results"[^>]* data-digest="([^"]+)"/.exec(html)?.[1];
  const page = (openSpans: number) => renderTracePage(root.traceId, { spans: [root], openSpans, missingParents: [] }, '/flowtrace');
  expect(digest(page(1))).toBe(digest(page(1)));
  expect(digest(page(1))).not.toBe(digest(page(0)));
  expect(digest(renderTraceList([summary], {}, '/flowtrace'))).not.toBe(digest(renderTraceList([], {}, '/flowtrace')));
});
