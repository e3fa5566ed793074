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
} from '../shared/span-record.ts';

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
const DIGITS = /^\d+$/;

type Json = Record<string, unknown>;

// Where the decoder is in the body, kept as a stack and joined only for an error message, so the
// fast path builds no path strings.
const path: Array<string | number> = [];

function here(field?: string): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
  return field === undefined ? out : out ? `${out}.${field}` : field;
}

function fail(message: string, field?: string): never {
  throw new OtlpDecodeError(`${here(field)} ${message}`);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown, field: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail('must be an array', field);
  return value;
}

/** Nanoseconds since the epoch as a decimal string, exactly as sent (they exceed 2^53). */
function nanos(value: unknown, field: string): string {
  if (typeof value === 'string' && DIGITS.test(value)) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  // A JSON number past 2^53 has already lost its last digits in JSON.parse; keep what is left.
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return BigInt(Math.trunc(value)).toString();
  fail(`must be an integer of nanoseconds, got ${JSON.stringify(value)}`, field);
}

/** Milliseconds for the viewer and matchers; split so the microseconds survive the conversion. */
export function nanosToMillis(value: string): number {
  if (value.length <= 15) return Number(value) / 1e6;
  return Number(value.slice(0, -3)) / 1e3;
}

function hexId(value: unknown, pattern: RegExp, field: string): string {
  // Lower-case ids (what every OpenTelemetry exporter sends) pass without a copy.
  if (typeof value === 'string' && !ZEROS.test(value)) {
    if (pattern.test(value)) return value;
    const lower = value.toLowerCase();
    if (pattern.test(lower)) return lower;
  }
  fail(`must be a non-zero hex id, got ${JSON.stringify(value)}`, field);
}

function anyValue(value: unknown): AttributeValue | null {
  if (!isObject(value)) fail('must be an AnyValue object');
  if ('stringValue' in value) return String(value.stringValue);
  if ('boolValue' in value) return Boolean(value.boolValue);
  // The store's values are JavaScript numbers; forwarding encodes the wire value, exact to 64 bits.
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return Number(value.doubleValue);
  if ('bytesValue' in value) return String(value.bytesValue);
  if ('arrayValue' in value) {
    const values = isObject(value.arrayValue) ? list(value.arrayValue.values, 'arrayValue.values') : [];
    return values.map((item, i) => {
      path.push(i);
      const decoded = anyValue(item);
      path.pop();
      return Array.isArray(decoded) ? JSON.stringify(decoded) : decoded;
    });
  }
  if ('kvlistValue' in value) return JSON.stringify(attributes(isObject(value.kvlistValue) ? value.kvlistValue.values : [], 'kvlistValue.values'));
  return null;
}

function attributes(value: unknown, field: string): Attributes {
  const result: Attributes = {};
  const entries = list(value, field);
  path.push(field);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    path.push(i);
    if (!isObject(entry) || typeof entry.key !== 'string') fail('must be {key, value}');
    if (entry.value !== undefined) {
      path.push('value');
      const decoded = anyValue(entry.value);
      path.pop();
      if (decoded !== null) result[entry.key] = decoded;
    }
    path.pop();
  }
  path.pop();
  return result;
}

function decodeEvent(event: unknown, i: number): SpanRecord['events'][number] {
  path.push('events', i);
  const e = isObject(event) ? event : {};
  const timeUnixNano = nanos(e.timeUnixNano, 'timeUnixNano');
  const decoded = { name: String(e.name ?? ''), time: nanosToMillis(timeUnixNano), timeUnixNano, attributes: attributes(e.attributes, 'attributes') };
  path.length -= 2;
  return decoded;
}

function decodeLink(link: unknown, i: number): SpanRecord['links'][number] {
  path.push('links', i);
  const l = isObject(link) ? link : {};
  const decoded = {
    traceId: hexId(l.traceId, TRACE_ID, 'traceId'),
    spanId: hexId(l.spanId, SPAN_ID, 'spanId'),
    ...(typeof l.traceState === 'string' && l.traceState !== '' ? { traceState: l.traceState } : {}),
    attributes: attributes(l.attributes, 'attributes'),
  };
  path.length -= 2;
  return decoded;
}

/** What all spans of one `scopeSpans` share. */
interface Origin {
  service: string;
  side: Side;
  resource: Attributes;
  scope: SpanRecord['scope'];
}

function decodeSpan(raw: unknown, { service, side, resource, scope }: Origin): SpanRecord {
  if (!isObject(raw)) fail('must be an object');
  if (typeof raw.name !== 'string') fail('must be a string', 'name');
  const parent = raw.parentSpanId;
  const status = isObject(raw.status) ? raw.status : {};
  // Ids first: a span without them is reported as such, whatever else is missing.
  const traceId = hexId(raw.traceId, TRACE_ID, 'traceId');
  const spanId = hexId(raw.spanId, SPAN_ID, 'spanId');
  const startTimeUnixNano = nanos(raw.startTimeUnixNano, 'startTimeUnixNano');
  const endTimeUnixNano = nanos(raw.endTimeUnixNano, 'endTimeUnixNano');
  return {
    traceId,
    spanId,
    ...(typeof parent === 'string' && parent !== '' ? { parentSpanId: hexId(parent, SPAN_ID, 'parentSpanId') } : {}),
    name: raw.name,
    kind: KINDS[Number(raw.kind ?? 0)] ?? 'internal',
    service,
    side,
    startTime: nanosToMillis(startTimeUnixNano),
    endTime: nanosToMillis(endTimeUnixNano),
    startTimeUnixNano,
    endTimeUnixNano,
    resource,
    ...(scope ? { scope } : {}),
    attributes: attributes(raw.attributes, 'attributes'),
    status: {
      code: STATUS[Number(status.code ?? 0)] ?? 'unset',
      ...(typeof status.message === 'string' && status.message !== '' ? { message: status.message } : {}),
    },
    events: list(raw.events, 'events').map(decodeEvent),
    links: list(raw.links, 'links').map(decodeLink),
  };
}

function decodeScope(value: unknown): SpanRecord['scope'] {
  if (!isObject(value)) return undefined;
  const name = typeof value.name === 'string' ? value.name : '';
  const version = typeof value.version === 'string' && value.version !== '' ? value.version : undefined;
  return name || version ? { name, ...(version ? { version } : {}) } : undefined;
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
  path.length = 0;
  try {
    for (let r = 0; r < body.resourceSpans.length; r++) {
      const resourceSpans: unknown = body.resourceSpans[r];
      path.push('resourceSpans', r);
      if (!isObject(resourceSpans)) fail('must be an object');
      const resource = isObject(resourceSpans.resource) ? (path.push('resource'), attributes(resourceSpans.resource.attributes, 'attributes')) : {};
      if (isObject(resourceSpans.resource)) path.pop();
      const service = typeof resource['service.name'] === 'string' ? resource['service.name'] : 'unknown_service';
      const scopes = list(resourceSpans.scopeSpans, 'scopeSpans');
      for (let s = 0; s < scopes.length; s++) {
        const scopeSpans = scopes[s];
        path.push('scopeSpans', s);
        if (!isObject(scopeSpans)) fail('must be an object');
        const origin: Origin = { service, side, resource, scope: decodeScope(scopeSpans.scope) };
        const raw = list(scopeSpans.spans, 'spans');
        for (let i = 0; i < raw.length; i++) {
          path.push('spans', i);
          spans.push(decodeSpan(raw[i], origin));
          path.length -= 2;
        }
        path.length -= 2;
      }
      path.length -= 2;
    }
  } finally {
    path.length = 0;
  }
  return spans;
}

// Validation only: the checks of the decoder above, in the same order and with the same messages,
// building nothing. A forwarding ingest without a store needs to know that a body is a valid
// export (and how many spans it holds) but not the records, which cost more than the checks.

function checkAnyValue(value: unknown): void {
  if (!isObject(value)) fail('must be an AnyValue object');
  if ('stringValue' in value || 'boolValue' in value || 'intValue' in value || 'doubleValue' in value || 'bytesValue' in value) return;
  if ('arrayValue' in value) {
    const values = isObject(value.arrayValue) ? list(value.arrayValue.values, 'arrayValue.values') : [];
    for (let i = 0; i < values.length; i++) {
      path.push(i);
      checkAnyValue(values[i]);
      path.pop();
    }
  } else if ('kvlistValue' in value) checkAttributes(isObject(value.kvlistValue) ? value.kvlistValue.values : [], 'kvlistValue.values');
}

function checkAttributes(value: unknown, field: string): void {
  const entries = list(value, field);
  path.push(field);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    path.push(i);
    if (!isObject(entry) || typeof entry.key !== 'string') fail('must be {key, value}');
    if (entry.value !== undefined) {
      path.push('value');
      checkAnyValue(entry.value);
      path.pop();
    }
    path.pop();
  }
  path.pop();
}

function checkSpan(raw: unknown): void {
  if (!isObject(raw)) fail('must be an object');
  if (typeof raw.name !== 'string') fail('must be a string', 'name');
  hexId(raw.traceId, TRACE_ID, 'traceId');
  hexId(raw.spanId, SPAN_ID, 'spanId');
  nanos(raw.startTimeUnixNano, 'startTimeUnixNano');
  nanos(raw.endTimeUnixNano, 'endTimeUnixNano');
  if (typeof raw.parentSpanId === 'string' && raw.parentSpanId !== '') hexId(raw.parentSpanId, SPAN_ID, 'parentSpanId');
  checkAttributes(raw.attributes, 'attributes');
  const events = list(raw.events, 'events');
  for (let i = 0; i < events.length; i++) {
    path.push('events', i);
    const e = isObject(events[i]) ? (events[i] as Json) : {};
    nanos(e.timeUnixNano, 'timeUnixNano');
    checkAttributes(e.attributes, 'attributes');
    path.length -= 2;
  }
  const links = list(raw.links, 'links');
  for (let i = 0; i < links.length; i++) {
    path.push('links', i);
    const l = isObject(links[i]) ? (links[i] as Json) : {};
    hexId(l.traceId, TRACE_ID, 'traceId');
    hexId(l.spanId, SPAN_ID, 'spanId');
    checkAttributes(l.attributes, 'attributes');
    path.length -= 2;
  }
}

/**
 * Checks a parsed OTLP/JSON body as {@link decodeOtlpJson} does, without building records.
 * @returns how many spans it holds.
 * @throws {@link OtlpDecodeError} naming the first invalid field, as {@link decodeOtlpJson} would.
 */
export function validateOtlpJson(body: unknown): number {
  if (!isObject(body)) throw new OtlpDecodeError('body must be a JSON object with "resourceSpans"');
  if (!Array.isArray(body.resourceSpans)) throw new OtlpDecodeError('"resourceSpans" must be an array');
  let count = 0;
  path.length = 0;
  try {
    for (let r = 0; r < body.resourceSpans.length; r++) {
      const resourceSpans: unknown = body.resourceSpans[r];
      path.push('resourceSpans', r);
      if (!isObject(resourceSpans)) fail('must be an object');
      if (isObject(resourceSpans.resource)) {
        path.push('resource');
        checkAttributes(resourceSpans.resource.attributes, 'attributes');
        path.pop();
      }
      const scopes = list(resourceSpans.scopeSpans, 'scopeSpans');
      for (let s = 0; s < scopes.length; s++) {
        const scopeSpans = scopes[s];
        path.push('scopeSpans', s);
        if (!isObject(scopeSpans)) fail('must be an object');
        const raw = list(scopeSpans.spans, 'spans');
        for (let i = 0; i < raw.length; i++) {
          path.push('spans', i);
          checkSpan(raw[i]);
          path.length -= 2;
        }
        count += raw.length;
        path.length -= 2;
      }
      path.length -= 2;
    }
  } finally {
    path.length = 0;
  }
  return count;
}
