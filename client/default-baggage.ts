/**
 * A propagator that adds baggage entries (the test id, the session and user ids) to every
 * injected `baggage` header, including requests made outside any flow. Entries already in the
 * context win. OpenTelemetry's W3CBaggagePropagator does the encoding; this only merges.
 */
import {
  propagation,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';

export class DefaultBaggagePropagator implements TextMapPropagator {
  readonly #inner: TextMapPropagator;
  readonly #entries: () => Record<string, string>;

  /** @param entries - read at each injection, so entries learnt later (the user id) are sent. */
  constructor(inner: TextMapPropagator, entries: () => Record<string, string>) {
    this.#inner = inner;
    this.#entries = entries;
  }

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    let baggage = propagation.getBaggage(context) ?? propagation.createBaggage();
    for (const [key, value] of Object.entries(this.#entries())) {
      if (!baggage.getEntry(key)) baggage = baggage.setEntry(key, { value });
    }
    this.#inner.inject(propagation.setBaggage(context, baggage), carrier, setter);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    return this.#inner.extract(context, carrier, getter);
  }

  fields(): string[] {
    return this.#inner.fields();
  }
}
