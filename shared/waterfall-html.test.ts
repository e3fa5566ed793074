import { expect, test } from '@playwright/test';
import type { SpanRecord } from './span-record.ts';
import { escapeHtml, renderWaterfall, waterfallDocument } from './waterfall-html.ts';

const base: SpanRecord = {
  traceId: 'a'.repeat(32), spanId: '1'.repeat(16), name: 'room.create', kind: 'internal', service: 'web', side: 'browser',
  startTime: 1000, endTime: 1100, attributes: {}, status: { code: 'unset' }, events: [], links: [],
};
const spans: SpanRecord[] = [
  base,
  { ...base, spanId: '2'.repeat(16), parentSpanId: base.spanId, name: 'INSERT rooms', kind: 'client', side: 'server', service: 'api', startTime: 1050, endTime: 1075, attributes: { 'db.system.name': 'postgresql' }, status: { code: 'error', message: 'boom' } },
];

test('places each bar on the trace time axis, by role, in tree order', () => {
  const html = renderWaterfall(spans);
  expect(html.indexOf('room.create')).toBeLessThan(html.indexOf('INSERT rooms'));
  expect(html).toContain('class="ft-row role-browser"');
  expect(html).toContain('class="ft-row role-db ft-error"');
  expect(html).toContain('style="left:50.00%;width:25.00%"');
  expect(html).toContain('padding-left:14px');
});

test('escapes untrusted span data', () => {
  const html = renderWaterfall([{ ...base, name: '<script>x</script>', attributes: { '"k': '<b>' } }]);
  expect(html).not.toContain('<script>');
  expect(html).toContain(escapeHtml('<script>x</script>'));
  expect(html).not.toContain('<b>');
});

test('a document is self-contained: inline styles, no external resources', () => {
  const doc = waterfallDocument('t', [spans]);
  expect(doc.startsWith('<!doctype html>')).toBe(true);
  expect(doc).not.toMatch(/<(script|link)\b|src=/);
  expect(doc).toContain('<style>');
});
