import { test, expect } from '@playwright/test';
import { decodeEnvelope, decodeEnvelopeBytes, envelopeHeader, wrapEnvelope } from './ws-envelope.ts';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const encoder = new TextEncoder();

test('an envelope round-trips its carrier and leaves the payload as it was', () => {
  const payload = '{"type":"offer","sdp":"v=0\\r\\n…"}\nsecond line';
  const text = wrapEnvelope({ traceparent: TRACEPARENT, baggage: 'a=1' }, payload);
  const decoded = decodeEnvelope(text)!;
  expect(decoded.state).toBe('valid');
  expect(decoded.carrier).toEqual({ traceparent: TRACEPARENT, baggage: 'a=1' });
  expect(text.slice(decoded.payloadStart)).toBe(payload);

  const bytes = encoder.encode(text);
  const fromBytes = decodeEnvelopeBytes(bytes)!;
  expect(fromBytes.carrier).toEqual(decoded.carrier);
  expect(new TextDecoder().decode(bytes.subarray(fromBytes.payloadStart))).toBe(payload);
});

test('non-envelope messages are not envelopes: plain text, JSON, a bare prefix without a header end', () => {
  for (const text of ['hello', '{"a":1}', '', '\u001eft1 traceparent=x', '\u001eft2 x\ny']) {
    expect(decodeEnvelope(text)).toBeUndefined();
    expect(decodeEnvelopeBytes(encoder.encode(text))).toBeUndefined();
  }
});

test('an envelope with a bad context (malformed, unknown fields, oversized) still yields its payload', () => {
  for (const [header, state] of [
    ['traceparent=%E0%A4%A', 'invalid'],
    ['other=1', 'invalid'],
    ['', 'missing'],
    [`baggage=${'x'.repeat(9000)}`, 'oversized'],
  ] as const) {
    const decoded = decodeEnvelope(`\u001eft1 ${header}\npayload`)!;
    expect(decoded.state).toBe(state);
    expect(decoded.carrier).toEqual({});
    expect(`\u001eft1 ${header}\npayload`.slice(decoded.payloadStart)).toBe('payload');
  }
  expect(envelopeHeader({})).toBe('\u001eft1 \n');
});
