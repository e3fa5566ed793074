/**
 * Decodes an OTLP/HTTP JSON `ExportTraceServiceRequest` into {@link SpanRecord}s.
 *
 * OpenTelemetry JS ships only encoders (`@opentelemetry/otlp-transformer`), so the decoding side of
 * a receiver is ours. Follows the OTLP/JSON mapping: ids are hex strings, 64-bit integers may be
 * strings or numbers, enums are integers. Anything that is not a valid request throws
 * {@link OtlpDecodeError} with a reason that names the offending field.
 */
import type {
  AttributeValue,
  Attributes,
  Side,
  SpanKindName,
  SpanRecord,
  StatusCodeName,
} from './span-record.ts';

/** Raised for a request body that is not a valid OTLP/JSON trace export. */
export class OtlpDecodeError extends Error {
  override name = 'OtlpDecodeError';
}

const KINDS: Record<number, SpanKindName> = {
  0: 'internal',
  1: 'internal',
  2: 'server',
  3: 'client',
  4: 'producer',
  5: 'consumer',
};
const STATUS: Record<number, StatusCodeName> = { 0: 'unset', 1: 'ok', 2: 'error' };
const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const ZEROS = /^0+$/;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown, where: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new OtlpDecodeError(`${where} must be an array`);
  return value;
}

function nanosToMillis(value: unknown, where: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value / 1e6;
  if (typeof value === 'string' && /^\d+$/.test(value)) {
    // Split to keep microsecond precision: nanoseconds since the epoch exceed 2^53.
    const micros = value.length > 3 ? Number(value.slice(0, -3)) : 0;
    return micros / 1e3;
  }
  throw new OtlpDecodeError(`${where} must be an integer of nanoseconds, got ${JSON.stringify(value)}`);
}

function hexId(value: unknown, pattern: RegExp, where: string): string {
  // Lower-case ids (what every OpenTelemetry exporter sends) pass without a copy.
  if (typeof value === 'string' && !ZEROS.test(value)) {
    if (pattern.test(value)) return value;
    const lower = value.toLowerCase();
    if (pattern.test(lower)) return lower;
  }
  throw new OtlpDecodeError(`${where} must be a non-zero hex id, got ${JSON.stringify(value)}`);
}

function anyValue(value: unknown, where: string): AttributeValue | null {
  if (!isObject(value)) throw new OtlpDecodeError(`${where} must be an AnyValue object`);
  if ('stringValue' in value) return String(value.stringValue);
  if ('boolValue' in value) return Boolean(value.boolValue);
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return Number(value.doubleValue);
  if ('bytesValue' in value) return String(value.bytesValue);
  if ('arrayValue' in value) {
    const values = isObject(value.arrayValue) ? list(value.arrayValue.values, `${where}.arrayValue.values`) : [];
    return values.map((item, i) => {
      const decoded = anyValue(item, `${where}[${i}]`);
      return Array.isArray(decoded) ? JSON.stringify(decoded) : decoded;
    });
  }
  if ('kvlistValue' in value) return JSON.stringify(attributes(isObject(value.kvlistValue) ? value.kvlistValue.values : [], where));
  return null;
}

function attributes(value: unknown, where: string): Attributes {
  const result: Attributes = {};
  for (const [i, entry] of list(value, where).entries()) {
    if (!isObject(entry) || typeof entry.key !== 'string') {
      throw new OtlpDecodeError(`${where}[${i}] must be {key, value}`);
    }
    const decoded = entry.value === undefined ? null : anyValue(entry.value, `${where}[${i}].value`);
    if (decoded !== null) result[entry.key] = decoded;
  }
  return result;
}

function decodeSpan(raw: unknown, service: string, side: Side, where: string): SpanRecord {
  if (!isObject(raw)) throw new OtlpDecodeError(`${where} must be an object`);
  if (typeof raw.name !== 'string') throw new OtlpDecodeError(`${where}.name must be a string`);
  const parent = raw.parentSpanId;
  const status = isObject(raw.status) ? raw.status : {};
  return {
    traceId: hexId(raw.traceId, TRACE_ID, `${where}.traceId`),
    spanId: hexId(raw.spanId, SPAN_ID, `${where}.spanId`),
    ...(typeof parent === 'string' && parent !== '' ? { parentSpanId: hexId(parent, SPAN_ID, `${where}.parentSpanId`) } : {}),
    name: raw.name,
    kind: KINDS[Number(raw.kind ?? 0)] ?? 'internal',
    service,
    side,
    startTime: nanosToMillis(raw.startTimeUnixNano, `${where}.startTimeUnixNano`),
    endTime: nanosToMillis(raw.endTimeUnixNano, `${where}.endTimeUnixNano`),
    attributes: attributes(raw.attributes, `${where}.attributes`),
    status: {
      code: STATUS[Number(status.code ?? 0)] ?? 'unset',
      ...(typeof status.message === 'string' && status.message !== '' ? { message: status.message } : {}),
    },
    events: list(raw.events, `${where}.events`).map((event, i) => {
      const e = isObject(event) ? event : {};
      return {
        name: String(e.name ?? ''),
        time: nanosToMillis(e.timeUnixNano, `${where}.events[${i}].timeUnixNano`),
        attributes: attributes(e.attributes, `${where}.events[${i}].attributes`),
      };
    }),
    links: list(raw.links, `${where}.links`).map((link, i) => {
      const l = isObject(link) ? link : {};
      return {
        traceId: hexId(l.traceId, TRACE_ID, `${where}.links[${i}].traceId`),
        spanId: hexId(l.spanId, SPAN_ID, `${where}.links[${i}].spanId`),
        attributes: attributes(l.attributes, `${where}.links[${i}].attributes`),
      };
    }),
  };
}

/**
 * Decodes a parsed OTLP/JSON body.
 * @param side - who recorded the spans. The caller decides, never the body: a browser must not be
 *   able to pass its spans off as the server's.
 * @throws {@link OtlpDecodeError} naming the first invalid field.
 */
export function decodeOtlpJson(body: unknown, side: Side): SpanRecord[] {
  if (!isObject(body)) throw new OtlpDecodeError('body must be a JSON object with "resourceSpans"');
  if (!Array.isArray(body.resourceSpans)) throw new OtlpDecodeError('"resourceSpans" must be an array');
  const spans: SpanRecord[] = [];
  body.resourceSpans.forEach((resourceSpans, r) => {
    const where = `resourceSpans[${r}]`;
    if (!isObject(resourceSpans)) throw new OtlpDecodeError(`${where} must be an object`);
    const resource = isObject(resourceSpans.resource)
      ? attributes(resourceSpans.resource.attributes, `${where}.resource.attributes`)
      : {};
    const service = typeof resource['service.name'] === 'string' ? resource['service.name'] : 'unknown_service';
    list(resourceSpans.scopeSpans, `${where}.scopeSpans`).forEach((scopeSpans, s) => {
      if (!isObject(scopeSpans)) throw new OtlpDecodeError(`${where}.scopeSpans[${s}] must be an object`);
      list(scopeSpans.spans, `${where}.scopeSpans[${s}].spans`).forEach((span, i) => {
        spans.push(decodeSpan(span, service, side, `${where}.scopeSpans[${s}].spans[${i}]`));
      });
    });
  });
  return spans;
}
