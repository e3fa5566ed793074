/**
 * The secret sweep: finds every place in a set of spans where a given secret appears, in span
 * names, attribute keys and values, status messages, events and links.
 */
import type { Attributes, SpanRecord } from '../shared/span-record.ts';

/** One place a secret was found. */
export interface SecretHit {
  secret: string;
  span: string;
  spanId: string;
  /** `name`, `attributes.url.full`, `events[0].attributes.x`, `links[1].attributes.y`, … */
  field: string;
  value: string;
}

function* attributes(prefix: string, attrs: Attributes): Generator<[string, string]> {
  for (const [key, value] of Object.entries(attrs)) {
    yield [`${prefix} key`, key];
    yield [`${prefix}.${key}`, Array.isArray(value) ? JSON.stringify(value) : String(value)];
  }
}

function* strings(span: SpanRecord): Generator<[field: string, value: string]> {
  yield ['name', span.name];
  if (span.status.message) yield ['status.message', span.status.message];
  yield* attributes('attributes', span.attributes);
  for (const [i, event] of span.events.entries()) {
    yield [`events[${i}].name`, event.name];
    yield* attributes(`events[${i}].attributes`, event.attributes);
  }
  for (const [i, link] of span.links.entries()) yield* attributes(`links[${i}].attributes`, link.attributes);
}

/** Every place any of `secrets` (a string, found as a substring, or a RegExp) occurs. */
export function findSecrets(spans: readonly SpanRecord[], secrets: ReadonlyArray<string | RegExp>): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const span of spans) {
    for (const [field, value] of strings(span)) {
      for (const secret of secrets) {
        const found = typeof secret === 'string' ? secret !== '' && value.includes(secret) : new RegExp(secret.source, secret.flags.replace('g', '')).test(value);
        if (found) hits.push({ secret: String(secret), span: span.name, spanId: span.spanId, field, value });
      }
    }
  }
  return hits;
}
