/**
 * The secret sweep: finds every place in a set of spans where a given secret appears, in span
 * names, attribute keys and values, status messages, events and links.
 */
import type { Attributes, SpanRecord } from '../shared/span-record.ts';

/** One place a secret was found. */
export interface SecretHit {
  /** The secret as given (a RegExp as its source): for your own checks, never for a log. */
  secret: string;
  span: string;
  spanId: string;
  /** `name`, `attributes.url.full`, `events[0].attributes.x`, `links[1].attributes.y`, … */
  field: string;
  /** The whole value the secret was found in: for your own checks, never for a log. */
  value: string;
  /** What is safe to print instead: see {@link maskSecret}. */
  masked: string;
}

/**
 * A secret as failure output may show it: its first two characters and its length
 * (`"hu…" (24 chars)`), so a real leak never reaches CI's log in full.
 */
export function maskSecret(value: string): string {
  return `${JSON.stringify(value.slice(0, 2))}… (${value.length} chars)`;
}

const searchable = (secret: RegExp) => new RegExp(secret.source, secret.flags.replace('g', ''));

/** `text` with every occurrence of `secrets` replaced by its mask, for printing a trace that leaked them. */
export function maskSecrets(text: string, secrets: ReadonlyArray<string | RegExp>): string {
  let masked = text;
  for (const secret of secrets) {
    if (typeof secret === 'string') {
      if (secret !== '') masked = masked.split(secret).join(`[secret ${maskSecret(secret)}]`);
    } else {
      const flags = secret.flags.includes('g') ? secret.flags : `${secret.flags}g`;
      masked = masked.replace(new RegExp(secret.source, flags), (found) => `[secret ${maskSecret(found)}]`);
    }
  }
  return masked;
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
        const found = typeof secret === 'string' ? secret !== '' && value.includes(secret) : searchable(secret).test(value);
        if (found) hits.push({ secret: String(secret), span: span.name, spanId: span.spanId, field, value, masked: maskSecret(value) });
      }
    }
  }
  return hits;
}
