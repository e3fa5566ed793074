/**
 * Copies allow-listed W3C baggage entries (such as the test id) onto every span started under
 * them, so a span can be found by them after export. Used by the browser and the server alike.
 */
import { propagation, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';

export class BaggageAttributesSpanProcessor implements SpanProcessor {
  readonly #keys: readonly string[];
  readonly #defaults: Readonly<Record<string, string>>;

  /**
   * @param keys - baggage keys to copy; others are never read, so untrusted baggage stays out.
   * @param defaults - values for keys the baggage lacks.
   */
  constructor(keys: readonly string[], defaults: Readonly<Record<string, string>> = {}) {
    this.#keys = keys;
    this.#defaults = defaults;
  }

  onStart(span: Span, parentContext: Context): void {
    const baggage = propagation.getBaggage(parentContext);
    for (const key of this.#keys) {
      const value = baggage?.getEntry(key)?.value ?? this.#defaults[key];
      // Bounded: baggage is client input, and an attribute is stored with every span.
      if (value !== undefined && value.length <= 256) span.setAttribute(key, value);
    }
  }

  onEnd(_span: ReadableSpan): void {}

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}
