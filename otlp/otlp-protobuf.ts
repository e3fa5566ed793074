/**
 * Decodes an OTLP/HTTP protobuf `ExportTraceServiceRequest` (content type `application/x-protobuf`,
 * what OpenTelemetry's proto exporters and the Collector's otlphttp exporter send).
 *
 * OpenTelemetry JS ships a protobuf *encoder* only (`ProtobufTraceSerializer`), so the receiving
 * side is ours. Rather than pull in protobufjs and the .proto files, this walks the wire format for
 * the handful of messages a trace export uses (field numbers from opentelemetry-proto
 * `trace/v1/trace.proto`, `common/v1/common.proto`, `resource/v1/resource.proto`) into the OTLP/JSON
 * shape, and hands that to {@link decodeOtlpJson}: one validation path for both encodings.
 */
import { decodeOtlpJson, OtlpDecodeError } from './otlp-json.ts';
import { ProtobufError, ProtobufReader, WIRE_FIXED32, WIRE_FIXED64, WIRE_LENGTH, WIRE_VARINT, writeVarint } from './protobuf-reader.ts';
import type { Side, SpanRecord } from '../shared/span-record.ts';

type Json = Record<string, unknown>;

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** Reads every field of one message, calling `on` for each; unknown fields are skipped. */
function fields(bytes: Uint8Array, on: (field: number, wire: number, reader: ProtobufReader) => boolean): void {
  const reader = new ProtobufReader(bytes);
  while (!reader.done) {
    const { field, wire } = reader.tag();
    if (!on(field, wire, reader)) reader.skip(wire);
  }
}

function anyValue(bytes: Uint8Array): Json {
  let value: Json = {};
  fields(bytes, (field, wire, r) => {
    if (field === 1 && wire === WIRE_LENGTH) value = { stringValue: r.string() };
    else if (field === 2 && wire === WIRE_VARINT) value = { boolValue: r.varint() !== 0 };
    else if (field === 3 && wire === WIRE_VARINT) value = { intValue: BigInt.asIntN(64, r.varintBig()).toString() };
    else if (field === 4 && wire === WIRE_FIXED64) value = { doubleValue: r.double() };
    else if (field === 5 && wire === WIRE_LENGTH) value = { arrayValue: { values: repeated(r.bytes(), 1, anyValue) } };
    else if (field === 6 && wire === WIRE_LENGTH) value = { kvlistValue: { values: repeated(r.bytes(), 1, keyValue) } };
    else if (field === 7 && wire === WIRE_LENGTH) value = { bytesValue: base64(r.bytes()) };
    else return false;
    return true;
  });
  return value;
}

// base64 without node:buffer, as OTLP/JSON writes bytes.
function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function keyValue(bytes: Uint8Array): Json {
  const kv: Json = { key: '' };
  fields(bytes, (field, wire, r) => {
    if (field === 1 && wire === WIRE_LENGTH) kv.key = r.string();
    else if (field === 2 && wire === WIRE_LENGTH) kv.value = anyValue(r.bytes());
    else return false;
    return true;
  });
  return kv;
}

/** All occurrences of one repeated message field. */
function repeated(bytes: Uint8Array, fieldNumber: number, decode: (bytes: Uint8Array) => Json): Json[] {
  const out: Json[] = [];
  fields(bytes, (field, wire, r) => {
    if (field !== fieldNumber) return false;
    r.expect(wire, WIRE_LENGTH, `field ${fieldNumber}`);
    out.push(decode(r.bytes()));
    return true;
  });
  return out;
}

function event(bytes: Uint8Array): Json {
  const e: Json = { attributes: [] };
  fields(bytes, (field, wire, r) => {
    if (field === 1 && wire === WIRE_FIXED64) e.timeUnixNano = r.fixed64().toString();
    else if (field === 2 && wire === WIRE_LENGTH) e.name = r.string();
    else if (field === 3 && wire === WIRE_LENGTH) (e.attributes as Json[]).push(keyValue(r.bytes()));
    else if (field === 4 && wire === WIRE_VARINT) e.droppedAttributesCount = r.varint();
    else return false;
    return true;
  });
  return e;
}

function link(bytes: Uint8Array): Json {
  const l: Json = { attributes: [] };
  fields(bytes, (field, wire, r) => {
    if (field === 1 && wire === WIRE_LENGTH) l.traceId = hex(r.bytes());
    else if (field === 2 && wire === WIRE_LENGTH) l.spanId = hex(r.bytes());
    else if (field === 3 && wire === WIRE_LENGTH) l.traceState = r.string();
    else if (field === 4 && wire === WIRE_LENGTH) (l.attributes as Json[]).push(keyValue(r.bytes()));
    else if (field === 5 && wire === WIRE_VARINT) l.droppedAttributesCount = r.varint();
    else if (field === 6 && wire === WIRE_FIXED32) l.flags = r.fixed32();
    else return false;
    return true;
  });
  return l;
}

function status(bytes: Uint8Array): Json {
  const s: Json = {};
  fields(bytes, (field, wire, r) => {
    if (field === 2 && wire === WIRE_LENGTH) s.message = r.string();
    else if (field === 3 && wire === WIRE_VARINT) s.code = r.varint();
    else return false;
    return true;
  });
  return s;
}

/** One `Span` message (its bytes without tag and length) in the OTLP/JSON form. */
export function decodeOtlpSpan(bytes: Uint8Array): Json {
  return span(bytes);
}

function span(bytes: Uint8Array): Json {
  const s: Json = { name: '', attributes: [], events: [], links: [] };
  fields(bytes, (field, wire, r) => {
    if (wire === WIRE_LENGTH) {
      if (field === 1) s.traceId = hex(r.bytes());
      else if (field === 2) s.spanId = hex(r.bytes());
      else if (field === 3) s.traceState = r.string();
      else if (field === 4) s.parentSpanId = hex(r.bytes());
      else if (field === 5) s.name = r.string();
      else if (field === 9) (s.attributes as Json[]).push(keyValue(r.bytes()));
      else if (field === 11) (s.events as Json[]).push(event(r.bytes()));
      else if (field === 13) (s.links as Json[]).push(link(r.bytes()));
      else if (field === 15) s.status = status(r.bytes());
      else return false;
    } else if (wire === WIRE_FIXED64 && (field === 7 || field === 8)) {
      s[field === 7 ? 'startTimeUnixNano' : 'endTimeUnixNano'] = r.fixed64().toString();
    } else if (wire === WIRE_VARINT && field === 6) {
      s.kind = r.varint();
    } else if (wire === WIRE_VARINT && (field === 10 || field === 12 || field === 14)) {
      s[field === 10 ? 'droppedAttributesCount' : field === 12 ? 'droppedEventsCount' : 'droppedLinksCount'] = r.varint();
    } else if (wire === WIRE_FIXED32 && field === 16) {
      s.flags = r.fixed32();
    } else return false;
    return true;
  });
  return s;
}

function resource(bytes: Uint8Array): Json {
  const res: Json = { attributes: [] };
  fields(bytes, (field, wire, r) => {
    if (field === 1 && wire === WIRE_LENGTH) (res.attributes as Json[]).push(keyValue(r.bytes()));
    else if (field === 2 && wire === WIRE_VARINT) res.droppedAttributesCount = r.varint();
    else return false;
    return true;
  });
  return res;
}

function scope(bytes: Uint8Array): Json {
  const sc: Json = { name: '' };
  fields(bytes, (field, wire, r) => {
    if (field === 1 && wire === WIRE_LENGTH) sc.name = r.string();
    else if (field === 2 && wire === WIRE_LENGTH) sc.version = r.string();
    else if (field === 3 && wire === WIRE_LENGTH) ((sc.attributes ??= []) as Json[]).push(keyValue(r.bytes()));
    else if (field === 4 && wire === WIRE_VARINT) sc.droppedAttributesCount = r.varint();
    else return false;
    return true;
  });
  return sc;
}

function scopeSpans(bytes: Uint8Array): Json {
  const ss: Json = { spans: [] };
  fields(bytes, (field, wire, r) => {
    if (field === 1 && wire === WIRE_LENGTH) ss.scope = scope(r.bytes());
    else if (field === 2 && wire === WIRE_LENGTH) (ss.spans as Json[]).push(span(r.bytes()));
    else if (field === 3 && wire === WIRE_LENGTH) ss.schemaUrl = r.string();
    else return false;
    return true;
  });
  return ss;
}

function resourceSpans(bytes: Uint8Array): Json {
  const rs: Json = { scopeSpans: [] };
  fields(bytes, (field, wire, r) => {
    if (field === 1 && wire === WIRE_LENGTH) rs.resource = resource(r.bytes());
    else if (field === 2 && wire === WIRE_LENGTH) (rs.scopeSpans as Json[]).push(scopeSpans(r.bytes()));
    else if (field === 3 && wire === WIRE_LENGTH) rs.schemaUrl = r.string();
    else return false;
    return true;
  });
  return rs;
}

/**
 * Converts a protobuf `ExportTraceServiceRequest` into its OTLP/JSON form (hex ids, nanoseconds as
 * decimal strings), without validating the values.
 * @throws {@link OtlpDecodeError} when the bytes are not a protobuf message.
 */
export function otlpProtobufToJson(bytes: Uint8Array): { resourceSpans: Json[] } {
  try {
    return { resourceSpans: repeated(bytes, 1, resourceSpans) };
  } catch (error) {
    if (error instanceof ProtobufError) throw new OtlpDecodeError(`not an OTLP protobuf message: ${error.message}`);
    throw error;
  }
}

/**
 * Decodes an OTLP/protobuf trace export body.
 * @param side - who recorded the spans; decided by the receiver, never by the body.
 * @throws {@link OtlpDecodeError} naming what is wrong.
 */
export function decodeOtlpProtobuf(bytes: Uint8Array, side: Side): SpanRecord[] {
  return decodeOtlpJson(otlpProtobufToJson(bytes), side);
}

function lengthDelimited(out: number[], field: number, payload: number[]): void {
  writeVarint(out, (field << 3) | WIRE_LENGTH);
  writeVarint(out, payload.length);
  out.push(...payload);
}

/**
 * `ExportTraceServiceResponse`, with `partial_success` when spans were rejected
 * (`rejected_spans` = 1, `error_message` = 2).
 */
export function encodeExportResponse(rejectedSpans = 0, errorMessage = ''): Uint8Array {
  if (rejectedSpans === 0 && errorMessage === '') return new Uint8Array(0);
  const partial: number[] = [];
  if (rejectedSpans > 0) {
    writeVarint(partial, (1 << 3) | WIRE_VARINT);
    writeVarint(partial, rejectedSpans);
  }
  if (errorMessage) lengthDelimited(partial, 2, [...new TextEncoder().encode(errorMessage)]);
  const out: number[] = [];
  lengthDelimited(out, 1, partial);
  return Uint8Array.from(out);
}

/** `google.rpc.Status` (`code` = 1, `message` = 2): the body OTLP/HTTP prescribes for errors in protobuf. */
export function encodeRpcStatus(code: number, message: string): Uint8Array {
  const out: number[] = [];
  writeVarint(out, (1 << 3) | WIRE_VARINT);
  writeVarint(out, code);
  lengthDelimited(out, 2, [...new TextEncoder().encode(message)]);
  return Uint8Array.from(out);
}
