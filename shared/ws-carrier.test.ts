import { test, expect } from '@playwright/test';
import {
  addCarrierToUrl,
  carrierFromProtocols,
  carrierToProtocol,
  stripCarrierFromUrl,
} from './ws-carrier.ts';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const carrier = { traceparent: TRACEPARENT, tracestate: 'a=1,b=2', baggage: 'flowtrace.test_id=t%201;p=x' };

test('a carrier added to a URL comes back out whole, and the URL is left as it was', () => {
  const url = 'wss://example.com/ws/signal?room=r%201&token=abc#top';
  const withCarrier = addCarrierToUrl(url, carrier, true);
  expect(withCarrier).toMatch(/^wss:\/\/example\.com\/ws\/signal\?room=r%201&token=abc&traceparent=/);
  expect(withCarrier.endsWith('#top')).toBe(true);
  const parsed = stripCarrierFromUrl(withCarrier);
  expect(parsed).toEqual({ carrier, state: 'valid', envelope: true, url });
});

test('a URL without a query gets one, and an empty carrier changes nothing', () => {
  expect(addCarrierToUrl('/ws', { traceparent: TRACEPARENT })).toBe(`/ws?traceparent=${TRACEPARENT}`);
  expect(addCarrierToUrl('/ws?x=1', {})).toBe('/ws?x=1');
  expect(stripCarrierFromUrl('/ws?x=1')).toEqual({ carrier: {}, state: 'missing', envelope: false, url: '/ws?x=1' });
  expect(stripCarrierFromUrl(`/ws?traceparent=${TRACEPARENT}`).url).toBe('/ws');
});

test('a malformed carrier (undecodable or repeated fields) is invalid and still stripped', () => {
  const bad = stripCarrierFromUrl('/ws?traceparent=%E0%A4%A&x=1');
  expect(bad).toEqual({ carrier: {}, state: 'invalid', envelope: false, url: '/ws?x=1' });
  const repeated = stripCarrierFromUrl(`/ws?traceparent=${TRACEPARENT}&traceparent=${TRACEPARENT}`);
  expect(repeated.state).toBe('invalid');
  expect(repeated.url).toBe('/ws');
});

test('an oversized carrier is ignored whole and still stripped', () => {
  const big = stripCarrierFromUrl(`/ws?traceparent=${TRACEPARENT}&baggage=k=${'v'.repeat(9000)}&room=1`);
  expect(big).toEqual({ carrier: {}, state: 'oversized', envelope: false, url: '/ws?room=1' });
});

test('the protocol entry is an HTTP token and decodes to the same carrier', () => {
  const entry = carrierToProtocol(carrier, true)!;
  expect(entry).toMatch(/^flowtrace\.carrier\.[A-Za-z0-9_-]+$/);
  expect(carrierFromProtocols(['chat', entry])).toEqual({ carrier, state: 'valid', envelope: true });
  expect(carrierFromProtocols(['chat'])).toEqual({ carrier: {}, state: 'missing', envelope: false });
});

test('bad protocol entries (not base64, repeated, oversized) are invalid or oversized', () => {
  expect(carrierFromProtocols(['flowtrace.carrier.%%%']).state).toBe('invalid');
  expect(carrierFromProtocols(['flowtrace.carrier.', 'flowtrace.carrier.']).state).toBe('invalid');
  expect(carrierFromProtocols([`flowtrace.carrier.${'A'.repeat(20_000)}`]).state).toBe('oversized');
  expect(carrierToProtocol({ baggage: 'k=\u00e9\u4e00' })).toMatch(/^flowtrace\.carrier\./);
});
