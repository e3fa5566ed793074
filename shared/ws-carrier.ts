/**
 * Carrier codecs for WebSocket handshakes. Browsers cannot set headers on a WebSocket handshake,
 * so W3C context (`traceparent`, `tracestate`, `baggage`) travels in the URL query (default) or
 * in one `Sec-WebSocket-Protocol` entry the server echoes (DESIGN.md §2). OpenTelemetry's
 * propagators fill and read the carrier; this file only moves it in and out of a URL or a token.
 * Isomorphic: no DOM, no `node:` imports.
 */
import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';

/** The W3C fields of one context, as OpenTelemetry's propagators write them. */
export type WsCarrier = Record<string, string>;

/**
 * What a handshake or envelope carried: `valid` (well formed; the propagators may still reject a
 * field), `missing`, `invalid` (undecodable or repeated fields) or `oversized`.
 */
export type CarrierState = 'valid' | 'missing' | 'invalid' | 'oversized';

/** A carrier read from a handshake URL, protocol entry or envelope header. */
export interface ParsedCarrier {
  carrier: WsCarrier;
  state: CarrierState;
  /** The client reads and writes message envelopes. */
  envelope: boolean;
}

/** The fields carried; other propagators' fields are not (W3C is the only format we carry). */
export const CARRIER_KEYS: readonly string[] = ['traceparent', 'tracestate', 'baggage'];
/** Query parameter with which a client announces that it reads and writes message envelopes. */
export const ENVELOPE_FLAG = 'flowtrace-envelope';
/** Prefix of the `Sec-WebSocket-Protocol` entry that carries context. */
export const PROTOCOL_PREFIX = 'flowtrace.carrier.';
/** W3C baggage's own limit is 8192 bytes; a carrier longer than this, in total, is ignored whole. */
export const DEFAULT_MAX_CARRIER_LENGTH = 8192;

export const carrierGetter: TextMapGetter<WsCarrier> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};

export const carrierSetter: TextMapSetter<WsCarrier> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

const EMPTY: ParsedCarrier = { carrier: {}, state: 'missing', envelope: false };

function decodeComponent(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}

/** Encodes the carrier's W3C fields (and the envelope flag) as `key=value&…`. */
export function carrierToQuery(carrier: WsCarrier, envelope = false): string {
  const pairs = CARRIER_KEYS.filter((key) => carrier[key] !== undefined).map(
    (key) => `${key}=${encodeURIComponent(carrier[key]!)}`,
  );
  if (envelope) pairs.push(`${ENVELOPE_FLAG}=1`);
  return pairs.join('&');
}

/**
 * Splits a query (without `?`) into the carrier and the pairs that are not the carrier's,
 * which are kept byte for byte.
 */
export function splitQuery(query: string, maxLength = DEFAULT_MAX_CARRIER_LENGTH): ParsedCarrier & { rest: string[] } {
  const rest: string[] = [];
  const carrier: WsCarrier = {};
  let envelope = false;
  let invalid = false;
  let length = 0;
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    if (key === ENVELOPE_FLAG) {
      envelope = true;
    } else if (key !== undefined && CARRIER_KEYS.includes(key)) {
      const value = decodeComponent(eq < 0 ? '' : pair.slice(eq + 1));
      // A repeated field is ambiguous: which one the server would trust is the attacker's choice.
      if (value === undefined || key in carrier) invalid = true;
      else carrier[key] = value;
      length += pair.length;
    } else {
      rest.push(pair);
    }
  }
  const found = Object.keys(carrier).length > 0 || invalid;
  const state: CarrierState = length > maxLength ? 'oversized' : invalid ? 'invalid' : found ? 'valid' : 'missing';
  return { carrier: state === 'valid' ? carrier : {}, state, envelope, rest };
}

/** Adds the carrier (and the envelope flag) to a URL's query, before any fragment. */
export function addCarrierToUrl(url: string, carrier: WsCarrier, envelope = false): string {
  const query = carrierToQuery(carrier, envelope);
  if (query === '') return url;
  const hash = url.indexOf('#');
  const base = hash < 0 ? url : url.slice(0, hash);
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return base + separator + query + (hash < 0 ? '' : url.slice(hash));
}

/**
 * Takes the carrier out of a request target or URL (`/path?room=1&traceparent=…`): returns the
 * target without it, so no recorded or logged URL ever holds the carrier.
 */
export function stripCarrierFromUrl(url: string, maxLength = DEFAULT_MAX_CARRIER_LENGTH): ParsedCarrier & { url: string } {
  const q = url.indexOf('?');
  if (q < 0) return { ...EMPTY, url };
  const hash = url.indexOf('#', q);
  const { rest, ...parsed } = splitQuery(url.slice(q + 1, hash < 0 ? undefined : hash), maxLength);
  const query = rest.length ? `?${rest.join('&')}` : '';
  return { ...parsed, url: url.slice(0, q) + query + (hash < 0 ? '' : url.slice(hash)) };
}

function toBase64Url(text: string): string {
  return btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/**
 * The carrier as one `Sec-WebSocket-Protocol` entry. Subprotocols must be HTTP tokens, which
 * `tracestate` and `baggage` are not, hence base64url. Undefined when the carrier is empty or not
 * ASCII (then nothing is carried rather than the handshake failing).
 */
export function carrierToProtocol(carrier: WsCarrier, envelope = false): string | undefined {
  const query = carrierToQuery(carrier, envelope);
  if (query === '') return undefined;
  try {
    return PROTOCOL_PREFIX + toBase64Url(query);
  } catch {
    return undefined;
  }
}

/** Whether a subprotocol entry is a flowtrace carrier. */
export function isCarrierProtocol(protocol: string): boolean {
  return protocol.startsWith(PROTOCOL_PREFIX);
}

/** Reads the carrier from the offered subprotocols (the header's entries, in order). */
export function carrierFromProtocols(protocols: Iterable<string>, maxLength = DEFAULT_MAX_CARRIER_LENGTH): ParsedCarrier {
  const entries = [...protocols].filter(isCarrierProtocol);
  if (entries.length === 0) return EMPTY;
  if (entries.length > 1) return { ...EMPTY, state: 'invalid' };
  const encoded = entries[0]!.slice(PROTOCOL_PREFIX.length);
  // base64 grows text by 4/3; checking first spares decoding a huge entry.
  if (encoded.length > Math.ceil((maxLength * 4) / 3) + 4) return { ...EMPTY, state: 'oversized' };
  let query: string;
  try {
    query = atob(encoded.replaceAll('-', '+').replaceAll('_', '/'));
  } catch {
    return { ...EMPTY, state: 'invalid' };
  }
  const { rest: _rest, ...parsed } = splitQuery(query, maxLength);
  return parsed.state === 'missing' ? { ...parsed, state: 'invalid' } : parsed;
}
