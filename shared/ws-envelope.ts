/**
 * The flowtrace message envelope: one header line with the W3C context, then the app's text
 * payload unchanged.
 *
 *     \u001eft1 traceparent=00-…-01&baggage=…\n{"type":"offer",…}
 *
 * A header line rather than a JSON wrapper, so a relay reads and rewrites the context without
 * parsing (or copying) the payload: the payload is a byte range of the frame. The record
 * separator (U+001E) cannot begin JSON or ordinary text, so plain messages are never mistaken
 * for envelopes. Only text messages are enveloped; binary ones always pass untouched.
 * Isomorphic: no DOM, no `node:` imports.
 */
import { DEFAULT_MAX_CARRIER_LENGTH, carrierToQuery, splitQuery, type ParsedCarrier, type WsCarrier } from './ws-carrier.ts';

/** What every envelope starts with (version 1). */
export const ENVELOPE_PREFIX = '\u001eft1 ';
const PREFIX_BYTES = [0x1e, 0x66, 0x74, 0x31, 0x20];
const NEWLINE = 0x0a;

/** An envelope read from a message: its carrier and where the payload starts. */
export interface DecodedEnvelope extends ParsedCarrier {
  /** Offset of the payload: characters in a string, bytes in a byte array (the header is ASCII). */
  payloadStart: number;
}

/** The header line for a carrier (`\u001eft1 …\n`); prepend it to a payload. */
export function envelopeHeader(carrier: WsCarrier): string {
  return `${ENVELOPE_PREFIX}${carrierToQuery(carrier)}\n`;
}

/** Wraps a text payload in an envelope. */
export function wrapEnvelope(carrier: WsCarrier, payload: string): string {
  return envelopeHeader(carrier) + payload;
}

function parseHeader(header: string, payloadStart: number, maxLength: number): DecodedEnvelope {
  // A header this long is not read at all; the payload is still delivered.
  if (header.length > maxLength + 64) return { carrier: {}, state: 'oversized', envelope: true, payloadStart };
  const { rest, ...parsed } = splitQuery(header, maxLength);
  // Anything but carrier fields in a header means it was not written by us: distrust all of it.
  const state = rest.length > 0 && parsed.state !== 'oversized' ? 'invalid' : parsed.state;
  return { ...parsed, carrier: state === 'valid' ? parsed.carrier : {}, state, envelope: true, payloadStart };
}

/**
 * Reads an envelope from a text message; `undefined` when the message is not one (no prefix,
 * or no end of header), and is then delivered as it is.
 */
export function decodeEnvelope(text: string, maxLength = DEFAULT_MAX_CARRIER_LENGTH): DecodedEnvelope | undefined {
  if (!text.startsWith(ENVELOPE_PREFIX)) return undefined;
  const end = text.indexOf('\n', ENVELOPE_PREFIX.length);
  if (end < 0) return undefined;
  return parseHeader(text.slice(ENVELOPE_PREFIX.length, end), end + 1, maxLength);
}

const decoder = new TextDecoder();

/** {@link decodeEnvelope} for a text frame's bytes, without decoding the payload. */
export function decodeEnvelopeBytes(bytes: Uint8Array, maxLength = DEFAULT_MAX_CARRIER_LENGTH): DecodedEnvelope | undefined {
  if (bytes.length < PREFIX_BYTES.length) return undefined;
  for (let i = 0; i < PREFIX_BYTES.length; i++) if (bytes[i] !== PREFIX_BYTES[i]) return undefined;
  const end = bytes.indexOf(NEWLINE, PREFIX_BYTES.length);
  if (end < 0) return undefined;
  return parseHeader(decoder.decode(bytes.subarray(PREFIX_BYTES.length, end)), end + 1, maxLength);
}
