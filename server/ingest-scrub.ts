/**
 * The ingest's scrub stage: what a browser sends is cleaned by the same rules the server applies to
 * its own spans, before any sink sees it: sensitive header values, sensitive query parameters in
 * any URL-shaped string (names included: a fetch span may be named after its URL), and personal data
 * (e-mail addresses, card numbers, bearer tokens). A buggy or hostile page must not be able to
 * store or forward what the server itself would never record.
 *
 * It works on both forms a sink takes: the OTLP/JSON wire form forwarded upstream, and the
 * {@link SpanRecord}s the store keeps. Each sink's form is scrubbed by the one rule below.
 */
import { DEFAULT_SENSITIVE_HEADERS, REDACTED, redactQueryInText, scrubPersonalData } from '../shared/redact.ts';
import type { Attributes, AttributeValue, SpanRecord } from '../shared/span-record.ts';
import type { OtlpJson } from '../otlp/forwarded-span.ts';

const HEADER_PREFIXES = ['http.request.header.', 'http.response.header.'];
const SENSITIVE = new Set(DEFAULT_SENSITIVE_HEADERS);

/** One string value, scrubbed as the server scrubs its own. */
export function scrubText(value: string): string {
  return scrubPersonalData(redactQueryInText(value));
}

/** Whether a key holds a header the server never records in clear (`http.request.header.cookie`). */
function isSensitiveHeader(key: string): boolean {
  for (const prefix of HEADER_PREFIXES) {
    if (key.startsWith(prefix)) return SENSITIVE.has(key.slice(prefix.length).toLowerCase());
  }
  return false;
}

function scrubValue(value: AttributeValue): AttributeValue {
  if (typeof value === 'string') return scrubText(value);
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? scrubText(item) : item));
  return value;
}

/** Scrubs an attribute map in place. */
export function scrubAttributes(attributes: Attributes): void {
  for (const key in attributes) {
    const value = attributes[key]!;
    if (isSensitiveHeader(key)) attributes[key] = Array.isArray(value) ? value.map(() => REDACTED) : REDACTED;
    else if (typeof value !== 'number' && typeof value !== 'boolean') attributes[key] = scrubValue(value);
  }
}

/** Scrubs stored records in place: name, attributes, status message, events, links, resource. */
export function scrubRecords(records: SpanRecord[]): void {
  const resources = new Set<Attributes>();
  for (const record of records) {
    record.name = scrubText(record.name);
    scrubAttributes(record.attributes);
    if (record.status.message) record.status.message = scrubText(record.status.message);
    for (const event of record.events) {
      event.name = scrubText(event.name);
      scrubAttributes(event.attributes);
    }
    for (const link of record.links) scrubAttributes(link.attributes);
    // Spans of one request share their resource object: scrub it once.
    if (record.resource && !resources.has(record.resource)) {
      resources.add(record.resource);
      scrubAttributes(record.resource);
    }
  }
}

const list = (value: unknown): OtlpJson[] => (Array.isArray(value) ? (value as OtlpJson[]) : []);

function scrubAnyValue(value: OtlpJson, redactAll: boolean): void {
  if (typeof value.stringValue === 'string') value.stringValue = redactAll ? REDACTED : scrubText(value.stringValue);
  else if (value.arrayValue) for (const item of list((value.arrayValue as OtlpJson).values)) scrubAnyValue(item, redactAll);
  else if (value.kvlistValue) scrubKeyValues((value.kvlistValue as OtlpJson).values);
  else if (redactAll && 'bytesValue' in value) value.bytesValue = '';
}

function scrubKeyValues(values: unknown): void {
  for (const kv of list(values)) {
    if (kv.value && typeof kv.value === 'object') scrubAnyValue(kv.value as OtlpJson, typeof kv.key === 'string' && isSensitiveHeader(kv.key));
  }
}

/** Scrubs one span of the OTLP/JSON wire form in place (as forwarded upstream). */
export function scrubOtlpSpan(span: OtlpJson): void {
  if (typeof span.name === 'string') span.name = scrubText(span.name);
  scrubKeyValues(span.attributes);
  const status = span.status as OtlpJson | undefined;
  if (status && typeof status.message === 'string') status.message = scrubText(status.message);
  for (const event of list(span.events)) {
    if (typeof event.name === 'string') event.name = scrubText(event.name);
    scrubKeyValues(event.attributes);
  }
  for (const link of list(span.links)) scrubKeyValues(link.attributes);
}

/** Scrubs a `resource` of the wire form in place. */
export function scrubOtlpResource(resource: OtlpJson | undefined): void {
  if (resource) scrubKeyValues(resource.attributes);
}
