import { stripVTControlCharacters } from 'node:util';
import { test } from '@playwright/test';
import type { SpanRecord } from '../shared/span-record.ts';
import { expect } from './matchers.ts';
import { parseTreeText } from './tree-text.ts';

function span(id: string, parent: string | undefined, fields: Partial<SpanRecord>): SpanRecord {
  return {
    traceId: 'a'.repeat(32),
    spanId: id.padStart(16, '0'),
    ...(parent ? { parentSpanId: parent.padStart(16, '0') } : {}),
    name: 'span',
    kind: 'internal',
    service: 'web',
    side: 'browser',
    startTime: 1000,
    endTime: 1001,
    attributes: {},
    status: { code: 'unset' },
    events: [],
    links: [],
    ...fields,
  };
}

/** The room.create trace as the demo produces it: flow > fetch > server > (db insert, db select). */
const trace: SpanRecord[] = [
  span('1', undefined, { name: 'room.create', startTime: 1000, endTime: 1030, attributes: { 'flowtrace.flow.name': 'room.create', 'flowtrace.flow.outcome': 'ok' } }),
  span('2', '1', { name: 'POST', kind: 'client', startTime: 1002, endTime: 1025, attributes: { 'http.request.method': 'POST', 'url.full': 'http://localhost/api/rooms' } }),
  span('3', '2', {
    name: 'POST /api/rooms', kind: 'server', side: 'server', service: 'api', startTime: 1005, endTime: 1020,
    attributes: { 'http.route': '/api/rooms', 'http.response.status_code': 201 },
    links: [{ traceId: 'b'.repeat(32), spanId: '9'.padStart(16, '0'), attributes: { 'flowtrace.link': 'untrusted-client' } }],
  }),
  span('4', '3', { name: 'INSERT rooms', kind: 'client', side: 'server', service: 'api', startTime: 1008, endTime: 1010, attributes: { 'db.system.name': 'postgresql', 'db.query.text': 'INSERT INTO rooms (name) VALUES ($1)' } }),
  span('5', '3', { name: 'SELECT rooms', kind: 'client', side: 'server', service: 'api', startTime: 1012, endTime: 1014, attributes: { 'db.system.name': 'postgresql' }, events: [{ name: 'retry', time: 1013, attributes: { attempt: 2 } }] }),
];

function failure(fn: () => void): string {
  try {
    fn();
  } catch (error) {
    return stripVTControlCharacters((error as Error).message);
  }
  throw new Error('expected the assertion to fail');
}

test('matches the text form, with roles, kinds, regex names and attributes', () => {
  expect(trace).toHaveSpanTree(`
    browser: room.create {flowtrace.flow.outcome=ok}
      browser: /^POST$/ [client] {url.full=/\\/api\\/rooms$/}
        server: POST /api/rooms [server] {http.response.status_code=201, http.route=/api/rooms}
          db: SELECT rooms
          db: INSERT rooms [client]
  `);
});

test('matches the object form with predicates, events and links, ignoring sibling order', () => {
  expect({ spans: trace }).toHaveSpanTree({
    name: 'room.create',
    children: [{
      kind: 'client',
      children: [{
        role: 'server',
        service: 'api',
        attributes: { 'http.response.status_code': (value) => typeof value === 'number' && value < 300 },
        links: [{ attributes: { 'flowtrace.link': 'untrusted-client' }, traceId: /^b+$/ }],
        children: [{ name: 'SELECT rooms', events: ['retry'] }, { name: /^INSERT/, links: [] }],
      }],
    }],
  });
});

test('`ordered` enforces start order among siblings', () => {
  const tree = (first: string, second: string) => ({ name: 'POST /api/rooms', ordered: true, children: [{ name: first }, { name: second }] });
  const server = trace.filter((s) => s.side === 'server');
  expect(server).toHaveSpanTree(tree('INSERT rooms', 'SELECT rooms'));
  expect(server).not.toHaveSpanTree(tree('SELECT rooms', 'INSERT rooms'));
});

test('wrong parentage, a missing span, a wrong attribute or a missing link fail; .not passes then', () => {
  // The db span is a grandchild of the fetch, not a child.
  expect(trace).not.toHaveSpanTree('room.create\n  POST\n    INSERT rooms');
  expect(trace).not.toHaveSpanTree('room.create\n  POST\n    POST /api/rooms\n      db: DELETE rooms');
  expect(trace).not.toHaveSpanTree('room.create {flowtrace.flow.outcome=error}');
  expect(trace).not.toHaveSpanTree({ name: 'room.create', links: [{ toSpan: 'anything' }] });
  expect(trace).not.toHaveSpanTree({ name: 'room.create', service: /^api$/ });
  // Two roots: a parent is missing.
  expect(trace.slice(1).concat(span('6', undefined, {}))).not.toHaveSpanTree('*');
});

test('.not fails on a match and says so', () => {
  const message = failure(() => expect(trace).not.toHaveSpanTree('room.create'));
  expect(message).toContain('Expected the trace not to match the tree, but it does.');
});

test('a failure prints the difference, the expected tree with the miss marked, and the actual tree with timings', () => {
  const message = failure(() =>
    expect(trace).toHaveSpanTree(`
      browser: room.create
        browser: * [client]
          server: POST /api/rooms
            db: DELETE rooms
    `),
  );
  expect(message).toContain('Difference: browser: room.create > browser: * [client] > server: POST /api/rooms > db: DELETE rooms: no child of "POST /api/rooms" matches ("INSERT rooms": name is "INSERT rooms", expected "DELETE rooms"; "SELECT rooms": name is "SELECT rooms", expected "DELETE rooms")');
  expect(message).toContain(
    [
      'Expected tree (<-- marks each span not found):',
      'browser: room.create',
      '  browser: * [client]',
      '    server: POST /api/rooms',
      '      db: DELETE rooms    <-- no child of "POST /api/rooms" matches ("INSERT rooms": name is "INSERT rooms", expected "DELETE rooms"; "SELECT rooms": name is "SELECT rooms", expected "DELETE rooms")',
    ].join('\n'),
  );
  expect(message).toContain(
    [
      'Actual trace (role: name [kind] +start duration):',
      'browser: room.create [internal] +0.0ms 30.0ms',
      '  browser: POST [client] +2.0ms 23.0ms',
      '    server: POST /api/rooms [server] +5.0ms 15.0ms',
      '      db: INSERT rooms [client] +8.0ms 2.0ms',
      '      db: SELECT rooms [client] +12.0ms 2.0ms',
    ].join('\n'),
  );
});

test('the printed actual tree can be pasted back as an expectation', () => {
  const printed = failure(() => expect(trace).toHaveSpanTree('nothing')).split('Actual trace (role: name [kind] +start duration):\n')[1]!;
  expect(trace).toHaveSpanTree(printed);
});

test('the text form rejects a second root, tabs and empty names, naming the line', () => {
  expect(() => parseTreeText('a\nb')).toThrow('line 2: a second root "b"');
  expect(() => parseTreeText('a\n\tb')).toThrow('line 2: indent with spaces, not tabs');
  expect(() => parseTreeText('a\n  [client]')).toThrow('line 2: no span name');
  expect(parseTreeText('server: x status=error {n=1, s="1", re=/a,b/, t=true}')).toEqual({
    role: 'server', name: 'x', status: 'error', attributes: { n: 1, s: '1', re: /a,b/, t: true },
  });
});

test('the secret sweep finds secrets in names, attributes, events and links', () => {
  const leaky = [
    ...trace,
    span('7', '1', {
      name: 'login hunter2',
      status: { code: 'error', message: 'bad token sk_live_abc' },
      attributes: { 'url.query': 'password=hunter2' },
      events: [{ name: 'e', time: 1, attributes: { note: 'hunter2' } }],
      links: [{ traceId: 'c'.repeat(32), spanId: '8'.padStart(16, '0'), attributes: { hunter2: 'key' } }],
    }),
  ];
  expect(trace).toBeFreeOfSecrets(['hunter2', /sk_live_\w+/]);
  expect(leaky).not.toBeFreeOfSecrets(['hunter2']);
  const message = failure(() => expect(leaky).toBeFreeOfSecrets(['hunter2', /sk_live_\w+/]));
  expect(message).toContain('Found 5 secret occurrence(s):');
  for (const field of ['name', 'attributes.url.query', 'events[0].attributes.note', 'links[0].attributes key', 'status.message']) {
    expect(message).toContain(` ${field}: `);
  }
});

test('the text form takes options too: { ordered: true } enforces start order among siblings at every level', () => {
  const inOrder = 'POST /api/rooms\n  INSERT rooms\n  SELECT rooms';
  const reversed = 'POST /api/rooms\n  SELECT rooms\n  INSERT rooms';
  const server = trace.filter((s) => s.side === 'server');
  expect(server).toHaveSpanTree(reversed);
  expect(server).toHaveSpanTree(inOrder, { ordered: true });
  expect(server).not.toHaveSpanTree(reversed, { ordered: true });
  expect(failure(() => expect(server).toHaveSpanTree(reversed, { ordered: true }))).toContain('left in order');
});

test("name: '*' in the object form is any name, as in the text form, and prints the same", () => {
  expect(trace).toHaveSpanTree({ name: 'room.create', children: [{ name: '*', kind: 'client' }] });
  expect(trace).toHaveSpanTree('room.create\n  * [client]');
  const objectForm = failure(() => expect(trace).toHaveSpanTree({ name: 'room.create', children: [{ name: '*', kind: 'server' }] }));
  const textForm = failure(() => expect(trace).toHaveSpanTree('room.create\n  * [server]'));
  expect(objectForm).toContain('room.create > * [server]: kind is client, expected server');
  expect(objectForm.split('Actual trace')[0]).toBe(textForm.split('Actual trace')[0]);
});

test('a failure reports every mismatch it can tell apart, each marked in the expected tree', () => {
  const message = failure(() =>
    expect(trace).toHaveSpanTree(`
      room.create {flowtrace.flow.outcome=ok}
        POST [client]
          POST /api/rooms {http.response.status_code=200}
        PUT [client]
    `),
  );
  expect(message).toContain('2 differences:');
  expect(message).toContain('- room.create {flowtrace.flow.outcome="ok"} > POST [client] > POST /api/rooms {http.response.status_code=200}: attribute http.response.status_code is 201, expected 200');
  expect(message).toContain('- room.create {flowtrace.flow.outcome="ok"} > PUT [client]: name is "POST", expected "PUT"');
  expect(message).toContain('    POST /api/rooms {http.response.status_code=200}    <-- attribute http.response.status_code is 201, expected 200');
  expect(message).toContain('  PUT [client]    <-- name is "POST", expected "PUT"');
});

test("settle()'s result, a list of traces, goes to the matchers as it is", () => {
  const traces = [{ traceId: 'a'.repeat(32), spans: trace, openSpans: 0, missingParents: [] }];
  expect(traces).toBeFreeOfSecrets(['hunter2']);
  expect(traces).toHaveSpanTree('room.create');
  expect([...traces, { ...traces[0]!, spans: [span('9', undefined, { name: 'login hunter2' })] }]).not.toBeFreeOfSecrets(['hunter2']);
});

test('a leaked secret is printed masked (first two characters and length), never in full', () => {
  const leaky = [...trace, span('7', '1', { name: 'login hunter2', attributes: { 'http.request.header.authorization': 'Bearer sk_live_abcdef' } })];
  const message = failure(() => expect(leaky).toBeFreeOfSecrets(['hunter2', /sk_live_\w+/]));
  expect(message).not.toContain('hunter2');
  expect(message).not.toContain('sk_live_abcdef');
  expect(message).toContain('secret #1 in span "login [secret "hu"… (7 chars)]"');
  expect(message).toContain('attributes.http.request.header.authorization: "Be"… (21 chars)');
});
