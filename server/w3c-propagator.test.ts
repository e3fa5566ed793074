import { ROOT_CONTEXT, trace, TraceFlags, type TextMapGetter, type TraceState } from '@opentelemetry/api';
import { expect, test } from '@playwright/test';
import { isValidTraceState, ListTraceState, parseTraceState, StrictW3CTraceContextPropagator } from './w3c-propagator.ts';

type Carrier = Record<string, string | string[]>;
const getter: TextMapGetter<Carrier> = { keys: (c) => Object.keys(c), get: (c, k) => c[k] };
const propagator = new StrictW3CTraceContextPropagator();
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

function extract(carrier: Carrier) {
  return trace.getSpanContext(propagator.extract(ROOT_CONTEXT, carrier, getter));
}

test.describe('traceparent (Level 1 and 2)', () => {
  test('accepts a valid version 00 header and keeps the flags', () => {
    expect(extract({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` })).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1, isRemote: true });
  });

  test('keeps the Level 2 random flag (0x02) as received', () => {
    expect(extract({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-03` })?.traceFlags).toBe(3);
  });

  test('accepts a future version with extra fields, reading the known ones', () => {
    expect(extract({ traceparent: `cc-${TRACE_ID}-${SPAN_ID}-01-what-the-future-holds` })?.traceId).toBe(TRACE_ID);
  });

  for (const [why, value] of [
    ['version ff', `ff-${TRACE_ID}-${SPAN_ID}-01`],
    ['extra fields in version 00', `00-${TRACE_ID}-${SPAN_ID}-01-extra`],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${SPAN_ID}-01`],
    ['all-zero parent id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['upper-case hex', `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`],
    ['short trace id', `00-${TRACE_ID.slice(1)}-${SPAN_ID}-01`],
    ['bad flags', `00-${TRACE_ID}-${SPAN_ID}-0g`],
  ] as const) {
    test(`rejects ${why}: a fresh trace starts`, () => {
      expect(extract({ traceparent: value })).toBeUndefined();
    });
  }

  test('rejects two traceparent headers', () => {
    expect(extract({ traceparent: [`00-${TRACE_ID}-${SPAN_ID}-01`, `00-${TRACE_ID}-${SPAN_ID}-00`] })).toBeUndefined();
  });

  test('does not read tracestate when traceparent is invalid', () => {
    expect(extract({ traceparent: 'garbage', tracestate: 'a=1' })).toBeUndefined();
  });
});

// https://www.w3.org/TR/trace-context-2/#tracestate-header-field-values: a list that fails to
// parse is dropped whole; the parent from traceparent is kept.
test.describe('tracestate', () => {
  const traceparent = `00-${TRACE_ID}-${SPAN_ID}-01`;
  const stateOf = (tracestate: string | string[]) => extract({ traceparent, tracestate })?.traceState?.serialize();

  test('§ list: several headers form one list, in order', () => {
    expect(stateOf(['vendor=a1,tenant@sys=x y', 'other=-'])).toBe('vendor=a1,tenant@sys=x y,other=-');
  });

  test('§ list: empty members and optional whitespace (spaces and tabs) are allowed', () => {
    expect(stateOf('a=1 \t, ,\t b=2')).toBe('a=1,b=2');
    expect(stateOf('')).toBe('');
  });

  test('§ list: exactly 32 members are kept', () => {
    const header = Array.from({ length: 32 }, (_, i) => `k${i}=v`).join(',');
    expect(stateOf(header)?.split(',')).toHaveLength(32);
  });

  test('§ list: over 32 members drop the whole header', () => {
    expect(stateOf(Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(','))).toBeUndefined();
  });

  test('§ key: "@" may follow the first character, any number of times', () => {
    expect(stateOf('foo@=1,bar=2')).toBe('foo@=1,bar=2');
    expect(stateOf('foo@@bar=1,foo@bar@baz=2')).toBe('foo@@bar=1,foo@bar@baz=2');
  });

  test('§ key: a key may start with a digit and has no tenant or system limit of its own', () => {
    for (const key of ['1abc', `${'t'.repeat(241)}@${'v'.repeat(14)}`, `${'t'.repeat(242)}@v`, `t@${'v'.repeat(15)}`]) {
      expect(stateOf(`foo=1,${key}=1`)).toBe(`foo=1,${key}=1`);
    }
  });

  test('§ key: up to 256 characters; 257 drop the whole header', () => {
    expect(stateOf(`foo=1,${'z'.repeat(256)}=1`)).toBe(`foo=1,${'z'.repeat(256)}=1`);
    expect(stateOf(`foo=1,${'z'.repeat(257)}=1`)).toBeUndefined();
  });

  for (const [why, value] of [
    ['a key starting with "@"', '@foo=1'],
    ['an upper-case key', 'FOO=1'],
    ['a space inside a key', 'foo =1'],
    ['a "." in a key', 'foo.bar=1'],
  ] as const) {
    test(`§ key: ${why} drops the whole header`, () => {
      expect(stateOf(`good=1,${value}`)).toBeUndefined();
    });
  }

  for (const [why, value] of [
    ['an empty value', 'foo='],
    ['"=" in a value', 'foo=bar=baz'],
    ['a tab inside a value', 'a=x\ty'],
    ['a value over 256 characters', `a=${'x'.repeat(257)}`],
    ['a member without "="', 'b'],
  ] as const) {
    test(`§ value: ${why} drops the whole header`, () => {
      expect(stateOf(`good=1,${value}`)).toBeUndefined();
    });
  }

  test('§ value: leading spaces are part of the value, trailing ones are optional whitespace', () => {
    expect(parseTraceState('a=  x  ')?.get('a')).toBe('  x');
  });

  test('§ mutating: duplicate keys are passed on as received', () => {
    expect(stateOf('foo=1,foo=1')).toBe('foo=1,foo=1');
    expect(stateOf(['foo=1', 'foo=2'])).toBe('foo=1,foo=2');
    expect(isValidTraceState('a=1,a=2')).toBe(true);
  });

  test('§ mutating: set moves a key to the front and keeps at most 32 members', () => {
    const full = new ListTraceState(Array.from({ length: 32 }, (_, i) => [`k${i}`, 'v'] as const));
    const state = full.set('k5', 'new').set('mine', '1');
    expect(state.serialize().split(',')).toHaveLength(32);
    expect(state.serialize().startsWith('mine=1,k5=new,k0=v')).toBe(true);
    expect(state.get('k31')).toBeUndefined();
    expect(state.unset('mine').get('mine')).toBeUndefined();
  });
});

test.describe('inject', () => {
  function inject(context = ROOT_CONTEXT, spanContext: { traceFlags?: number; traceState?: Pick<TraceState, 'serialize'> } = {}): Record<string, string> {
    const carrier: Record<string, string> = {};
    const traceFlags = spanContext.traceFlags ?? TraceFlags.SAMPLED;
    const active = trace.setSpanContext(context, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags, traceState: spanContext.traceState as TraceState });
    propagator.inject(active, carrier, { set: (c, k, v) => (c[k] = v) });
    return carrier;
  }
  const continued = (flags: string) => propagator.extract(ROOT_CONTEXT, { traceparent: `00-${TRACE_ID}-${'1'.repeat(16)}-${flags}` }, getter);

  test('sends a version 00 traceparent and a valid tracestate', () => {
    expect(inject(continued('01'), { traceState: new ListTraceState([['a', '1'], ['b', '2']]) })).toEqual({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: 'a=1,b=2' });
  });

  test('never sends an invalid or empty tracestate', () => {
    // Another library's TraceState may serialize anything.
    expect(inject(continued('01'), { traceState: { serialize: () => 'a=x,,b=1' } }).tracestate).toBe('a=x,,b=1');
    expect(inject(continued('01'), { traceState: { serialize: () => 'A=1' } })).toEqual({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` });
    expect(inject(continued('01'), { traceState: { serialize: () => '' } })).toEqual({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` });
  });

  // https://www.w3.org/TR/trace-context-2/#random-trace-id-flag
  test('§ random-trace-id flag: kept for a continued trace whose incoming traceparent had it', () => {
    expect(inject(continued('02'), { traceFlags: TraceFlags.NONE }).traceparent).toBe(`00-${TRACE_ID}-${SPAN_ID}-02`);
    expect(inject(continued('03')).traceparent).toBe(`00-${TRACE_ID}-${SPAN_ID}-03`);
  });

  test('§ random-trace-id flag: left unset for a continued trace whose incoming traceparent lacked it', () => {
    expect(inject(continued('01')).traceparent).toBe(`00-${TRACE_ID}-${SPAN_ID}-01`);
    expect(inject(continued('00'), { traceFlags: TraceFlags.NONE }).traceparent).toBe(`00-${TRACE_ID}-${SPAN_ID}-00`);
  });

  test('§ random-trace-id flag: set for a trace id generated here', () => {
    expect(inject().traceparent).toBe(`00-${TRACE_ID}-${SPAN_ID}-03`);
    // A new trace started under a received one (trust 'link') is ours too.
    const other = propagator.extract(ROOT_CONTEXT, { traceparent: `00-${'a'.repeat(32)}-${SPAN_ID}-01` }, getter);
    expect(inject(other, { traceFlags: TraceFlags.NONE }).traceparent).toBe(`00-${TRACE_ID}-${SPAN_ID}-02`);
  });
});
