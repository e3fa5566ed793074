/**
 * Redacts sensitive query parameters (`token`, `password`, `code`, `signature`, `secret`, …) in
 * span names, string attributes and event attributes before spans leave the page. Wraps the
 * exporter, so whatever instrumentation recorded a URL, it is redacted on the way out.
 */
import type { Attributes } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { redactUrl } from '../shared/redact.ts';

function redactString(value: string, sensitive: readonly string[]): string {
  // Only something with a query can carry a parameter; most attributes skip the parse.
  return value.includes('?') && value.includes('=') ? redactUrl(value, sensitive) : value;
}

function redactAttributes(attributes: Attributes, sensitive: readonly string[]): Attributes {
  let copy: Attributes | undefined;
  for (const [key, value] of Object.entries(attributes)) {
    if (typeof value !== 'string') continue;
    const redacted = redactString(value, sensitive);
    if (redacted !== value) (copy ??= { ...attributes })[key] = redacted;
  }
  return copy ?? attributes;
}

/** A span with the same data, its strings redacted; unchanged spans are passed as they are. */
export function redactSpan(span: ReadableSpan, sensitive: readonly string[]): ReadableSpan {
  const name = redactString(span.name, sensitive);
  const attributes = redactAttributes(span.attributes, sensitive);
  let eventsChanged = false;
  const events = span.events.map((event) => {
    if (!event.attributes) return event;
    const redacted = redactAttributes(event.attributes, sensitive);
    if (redacted === event.attributes) return event;
    eventsChanged = true;
    return { ...event, attributes: redacted };
  });
  if (name === span.name && attributes === span.attributes && !eventsChanged) return span;
  // The prototype keeps spanContext() and every other field of the SDK's span.
  return Object.create(span, {
    name: { value: name, enumerable: true },
    attributes: { value: attributes, enumerable: true },
    events: { value: eventsChanged ? events : span.events, enumerable: true },
  }) as ReadableSpan;
}

export class RedactingExporter implements SpanExporter {
  readonly #inner: SpanExporter;
  readonly #sensitive: readonly string[];

  constructor(inner: SpanExporter, sensitive: readonly string[]) {
    this.#inner = inner;
    this.#sensitive = sensitive;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.#inner.export(
      spans.map((span) => redactSpan(span, this.#sensitive)),
      resultCallback,
    );
  }

  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush?.() ?? Promise.resolve();
  }
}
