import { expect, test } from '@playwright/test';
import { decodeOtlpJson, validateOtlpJson } from './otlp-json.ts';
import { hrTime } from './forwarded-span.ts';

const span = (fields: Record<string, unknown>) => ({
  resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'web' } }] }, scopeSpans: [{ spans: [{
    traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), name: 'x', kind: 2, startTimeUnixNano: '1700000000000000000', endTimeUnixNano: 1700000000001000000,
    ...fields,
  }] }] }],
});

test('decodes ids, times in either integer form, attributes, events and links', () => {
  const [decoded] = decodeOtlpJson(span({
    traceId: 'AB'.repeat(16),
    attributes: [{ key: 'n', value: { intValue: '7' } }, { key: 'list', value: { arrayValue: { values: [{ stringValue: 'a' }, { boolValue: true }] } } }],
    events: [{ name: 'e', timeUnixNano: '1700000000000500000', attributes: [] }],
    links: [{ traceId: 'ef'.repeat(16), spanId: '12'.repeat(8), attributes: [{ key: 'why', value: { stringValue: 'trust' } }] }],
  }), 'server');
  expect(decoded).toEqual({
    traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), name: 'x', kind: 'server', service: 'web', side: 'server',
    // The end was sent as a JSON number past 2^53: JSON.parse already rounded it.
    startTime: 1700000000000, endTime: 1700000000000.999,
    startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000000999936', resource: { 'service.name': 'web' },
    attributes: { n: 7, list: ['a', true] }, status: { code: 'unset' },
    events: [{ name: 'e', time: 1700000000000.5, timeUnixNano: '1700000000000500000', attributes: {} }],
    links: [{ traceId: 'ef'.repeat(16), spanId: '12'.repeat(8), attributes: { why: 'trust' } }],
  });
});

// The forwarding ingest only validates; it must refuse exactly what the decoder refuses, alike.
for (const [pass, check] of [['decode', (body: unknown) => decodeOtlpJson(body, 'browser')], ['validation', validateOtlpJson]] as const) {
  test(`${pass} errors name the exact field`, () => {
    const message = (fields: Record<string, unknown>) => {
      try {
        check(span(fields));
        return 'valid';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(message({ traceId: '0'.repeat(32) })).toBe(`resourceSpans[0].scopeSpans[0].spans[0].traceId must be a non-zero hex id, got "${'0'.repeat(32)}"`);
    expect(message({ startTimeUnixNano: '12x' })).toBe('resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano must be an integer of nanoseconds, got "12x"');
    expect(message({ attributes: [{ key: 'a' }, { nokey: 1 }] })).toBe('resourceSpans[0].scopeSpans[0].spans[0].attributes[1] must be {key, value}');
    expect(message({ attributes: [{ key: 'a', value: 3 }] })).toBe('resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value must be an AnyValue object');
    expect(message({ attributes: [{ key: 'a', value: { arrayValue: { values: [{ stringValue: 'x' }, 4] } } }] })).toBe('resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value[1] must be an AnyValue object');
    expect(message({ attributes: [{ key: 'a', value: { kvlistValue: { values: [{ key: 1 }] } } }] })).toBe('resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.kvlistValue.values[0] must be {key, value}');
    expect(message({ events: [{}, { name: 'e', timeUnixNano: 'soon' }] })).toBe('resourceSpans[0].scopeSpans[0].spans[0].events[0].timeUnixNano must be an integer of nanoseconds, got undefined');
    expect(message({ events: [{ timeUnixNano: '1', attributes: {} }] })).toBe('resourceSpans[0].scopeSpans[0].spans[0].events[0].attributes must be an array');
    expect(message({ links: [{ traceId: 'ab'.repeat(16), spanId: 'z' }] })).toBe('resourceSpans[0].scopeSpans[0].spans[0].links[0].spanId must be a non-zero hex id, got "z"');
    expect(message({ parentSpanId: 'xyz' })).toBe('resourceSpans[0].scopeSpans[0].spans[0].parentSpanId must be a non-zero hex id, got "xyz"');
    expect(message({ name: 5 })).toBe('resourceSpans[0].scopeSpans[0].spans[0].name must be a string');
    expect(message({ links: 'none' })).toBe('resourceSpans[0].scopeSpans[0].spans[0].links must be an array');
    expect(message({ attributes: [{ key: 'ok', value: { intValue: '9223372036854775807' } }] })).toBe('valid');
    expect(() => check({ resourceSpans: [{ scopeSpans: {} }] })).toThrow('resourceSpans[0].scopeSpans must be an array');
    expect(() => check({ resourceSpans: [{ resource: { attributes: [7] } }] })).toThrow('resourceSpans[0].resource.attributes[0] must be {key, value}');
    expect(() => check([])).toThrow('body must be a JSON object with "resourceSpans"');
  });
}

test('validation counts the spans of every resource and scope', () => {
  const body = span({});
  const scope = body.resourceSpans[0]!.scopeSpans[0]!;
  body.resourceSpans.push({ ...body.resourceSpans[0]!, scopeSpans: [scope, { spans: [] }, scope] });
  expect(validateOtlpJson(body)).toBe(3);
  expect(validateOtlpJson({ resourceSpans: [{ resource: { attributes: [] } }] })).toBe(0);
});

test('a failed decode leaves no state behind for the next one', () => {
  expect(() => decodeOtlpJson(span({ spanId: 'bad' }), 'browser')).toThrow();
  expect(() => decodeOtlpJson(span({ traceId: 'bad' }), 'browser')).toThrow(/^resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.traceId /);
});

test('keeps what the viewer and forwarding need: exact nanoseconds, the resource, the scope, link tracestate', () => {
  const body = span({
    startTimeUnixNano: '1700000000123456789',
    links: [{ traceId: 'ef'.repeat(16), spanId: '12'.repeat(8), traceState: 'vendor=a,other=b' }],
  });
  body.resourceSpans[0]!.resource.attributes.push({ key: 'deployment.environment.name', value: { stringValue: 'prod' } });
  (body.resourceSpans[0]!.scopeSpans[0] as Record<string, unknown>).scope = { name: 'flowtrace', version: '1.2.3' };
  const [decoded] = decodeOtlpJson(body, 'browser');
  expect(decoded!.startTimeUnixNano).toBe('1700000000123456789');
  expect(decoded!.startTime).toBe(1700000000123.456);
  expect(decoded!.resource).toEqual({ 'service.name': 'web', 'deployment.environment.name': 'prod' });
  expect(decoded!.scope).toEqual({ name: 'flowtrace', version: '1.2.3' });
  expect(decoded!.links[0]!.traceState).toBe('vendor=a,other=b');
});

test('a forwarded time sent as a JSON number keeps the digits of the parsed value, never an exponent', () => {
  // 1.7e18 ns is 2023: exporters send strings, but a number is valid OTLP/JSON too.
  expect(hrTime(1_700_000_000_123_456_800)).toEqual([1_700_000_000, 123_456_768]);
  expect(hrTime('1700000000123456789')).toEqual([1_700_000_000, 123_456_789]);
  // From 1e21 up, String() writes an exponent ("2e+21"), which the split would misread.
  expect(hrTime(2e21)).toEqual([2_000_000_000_000, 0]);
  expect(hrTime(Number.NaN)).toEqual([0, 0]);
});
