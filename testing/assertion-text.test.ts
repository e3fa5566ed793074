/**
 * The viewer's "Copy as assertion" text (shared/span-tree.ts formatAssertionTree) is read by this
 * package's tree-text reader: what a person pastes matches the trace it was copied from.
 */
import { test } from '@playwright/test';
import type { SpanRecord } from '../shared/span-record.ts';
import { buildSpanTrees, formatAssertionTree } from '../shared/span-tree.ts';
import { expect } from './matchers.ts';

function span(id: string, parent: string | undefined, fields: Partial<SpanRecord>): SpanRecord {
  return {
    traceId: 'a'.repeat(32), spanId: id.padStart(16, '0'), ...(parent ? { parentSpanId: parent.padStart(16, '0') } : {}),
    name: 'span', kind: 'internal', service: 'web', side: 'browser', startTime: 1000, endTime: 1001,
    attributes: {}, status: { code: 'unset' }, events: [], links: [], ...fields,
  };
}

test('a copied assertion matches its trace, even for names the text form would misread', () => {
  const trace = [
    span('1', undefined, { name: 'room.create' }),
    span('2', '1', { name: 'POST', kind: 'client', startTime: 1001 }),
    span('3', '2', { name: 'POST /api/rooms', kind: 'server', side: 'server', startTime: 1002, status: { code: 'error' } }),
    span('4', '3', { name: 'INSERT rooms', kind: 'client', side: 'server', startTime: 1003, attributes: { 'db.system.name': 'postgresql' } }),
    span('5', '1', { name: '*', startTime: 1004 }),
    span('6', '1', { name: '/weird [client] ERROR: x {a=1}', startTime: 1005 }),
    span('7', '1', { name: ' padded ', startTime: 1006 }),
  ];
  const text = formatAssertionTree(buildSpanTrees(trace)[0]!);
  expect(trace).toHaveSpanTree(text);
  expect(trace.map((s) => (s.spanId.endsWith('5') ? { ...s, name: 'other' } : s))).not.toHaveSpanTree(text);
  expect(trace.map((s) => (s.spanId.endsWith('3') ? { ...s, status: { code: 'ok' as const } } : s))).not.toHaveSpanTree(text);
});
