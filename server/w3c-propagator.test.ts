import { ROOT_CONTEXT, trace, TraceFlags, type TextMapGetter } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { expect, test } from '@playwright/test';
import { isValidTraceState, StrictW3CTraceContextPropagator } from './w3c-propagator.ts';

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

test.describe('tracestate, strict', () => {
  const traceparent = `00-${TRACE_ID}-${SPAN_ID}-01`;

  test('keeps a valid list, including multi-tenant keys and several headers combined', () => {
    const state = extract({ traceparent, tracestate: ['vendor=a1,tenant@sys=x y', 'other=-'] })?.traceState;
    expect(state?.get('vendor')).toBe('a1');
    expect(state?.get('tenant@sys')).toBe('x y');
    expect(state?.get('other')).toBe('-');
  });

  test('allows empty list members and optional whitespace', () => {
    expect(isValidTraceState('a=1 , ,\tb=2')).toBe(true);
  });

  for (const [why, value] of [
    ['an upper-case key', 'Vendor=1'],
    ['a key starting with a digit (simple key)', '1abc=1'],
    ['a value with "="', 'a=b=c'],
    ['a value with a comma inside quotes', 'a="x,y'],
    ['a tab inside a value', 'a=x\ty'],
    ['a member without "="', 'a=1,b'],
    ['a duplicate key', 'a=1,a=2'],
    ['a system id over 14 characters', 't@abcdefghijklmnop=1'],
    ['a value over 256 characters', `a=${'x'.repeat(257)}`],
    ['33 members', Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(',')],
  ] as const) {
    test(`drops the whole header on ${why}, keeping the parent`, () => {
      const context = extract({ traceparent, tracestate: `good=1,${value}` });
      expect(context?.traceId).toBe(TRACE_ID);
      expect(context?.traceState).toBeUndefined();
    });
  }

  test('accepts exactly 32 members', () => {
    const header = Array.from({ length: 32 }, (_, i) => `k${i}=v`).join(',');
    expect(extract({ traceparent, tracestate: header })?.traceState?.serialize().split(',')).toHaveLength(32);
  });
});

test.describe('inject', () => {
  function inject(traceState?: Pick<TraceState, 'serialize'>): Record<string, string> {
    const carrier: Record<string, string> = {};
    const context = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED, traceState: traceState as TraceState });
    propagator.inject(context, carrier, { set: (c, k, v) => (c[k] = v) });
    return carrier;
  }

  test('sends a version 00 traceparent and a valid tracestate', () => {
    expect(inject(new TraceState('a=1,b=2'))).toEqual({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: 'a=1,b=2' });
  });

  test('never sends an invalid tracestate', () => {
    // Another library's TraceState may serialize anything.
    expect(inject({ serialize: () => 'a=x,,b=1' })).toEqual({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: 'a=x,,b=1' });
    expect(inject({ serialize: () => 'A=1' })).toEqual({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` });
    expect(inject({ serialize: () => '' })).toEqual({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` });
  });
});
