import { expect, test } from '@playwright/test';
import type { SpanRecord } from './span-record.ts';
import { buildSpanTrees, formatAssertionTree } from './span-tree.ts';

function span(id: string, parent: string | undefined, fields: Partial<SpanRecord>): SpanRecord {
  return {
    traceId: 'a'.repeat(32), spanId: id.padStart(16, '0'), ...(parent ? { parentSpanId: parent.padStart(16, '0') } : {}),
    name: 'span', kind: 'internal', service: 'web', side: 'browser', startTime: 1000, endTime: 1001,
    attributes: {}, status: { code: 'unset' }, events: [], links: [], ...fields,
  };
}

test('the assertion tree lists role, name and kind, indented by parentage, errors marked, no timings', () => {
  const [root] = buildSpanTrees([
    span('1', undefined, { name: 'room.create' }),
    span('2', '1', { name: 'POST', kind: 'client', startTime: 1001 }),
    span('3', '2', { name: 'POST /api/rooms', kind: 'server', side: 'server', startTime: 1002, status: { code: 'error', message: 'boom' } }),
    span('4', '3', { name: 'INSERT rooms', kind: 'client', side: 'server', startTime: 1003, attributes: { 'db.system.name': 'postgresql' } }),
  ]);
  expect(formatAssertionTree(root!)).toBe(
    'browser: room.create [internal]\n  browser: POST [client]\n    server: POST /api/rooms [server] status=error\n      db: INSERT rooms [client]',
  );
});

test('names the tree text would misread are written as anchored regexes without whitespace', () => {
  const text = (name: string) => formatAssertionTree(buildSpanTrees([span('1', undefined, { name })])[0]!);
  expect(text('*')).toBe('browser: /^\\*$/ [internal]');
  expect(text('/api/x')).toBe('browser: /^\\/api\\/x$/ [internal]');
  expect(text('a [client] b')).toBe('browser: /^a\\x20\\[client\\]\\x20b$/ [internal]');
  expect(text('GET /api/rooms/:id')).toBe('browser: GET /api/rooms/:id [internal]');
});
