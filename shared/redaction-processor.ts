/**
 * The last line of defence before spans leave the process, on the server and in the browser:
 * scrubs values that look like personal data (e-mail addresses, card numbers, bearer tokens) from
 * every span attribute and event attribute. No Node or DOM imports: both sides use it.
 *
 * OpenTelemetry has no redacting processor in the JS SDK (the Collector's redaction processor
 * does this downstream), so this one is ours.
 */
import type { AttributeValue, Attributes, Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { scrubPersonalData } from './redact.ts';

/** Options of {@link RedactingSpanProcessor}. */
export interface RedactingSpanProcessorOptions {
  /**
   * Scrubs one string value; return it unchanged when it holds nothing to hide.
   * @default scrubPersonalData (e-mail addresses, Luhn-valid card numbers, bearer tokens)
   */
  scrub?: (value: string) => string;
  /**
   * Attribute keys never scrubbed, added to the defaults: keys whose values come from code or the
   * protocol, never from a user (`http.request.method`, `http.route`, `url.scheme`, ...).
   * @default []
   */
  keep?: readonly string[];
  /**
   * Scrub span names too. The browser needs it (a fetch span may be named after its URL); server
   * span names are route templates, so the server leaves them alone and saves the work.
   * @default false
   */
  names?: boolean;
}

// Values set by code or the protocol: skipping them keeps the per-span cost down.
const SAFE_KEYS: readonly string[] = [
  'http.request.method',
  'http.route',
  'url.scheme',
  'network.protocol.version',
  'server.address',
  'client.address',
  'db.system.name',
  'db.operation.name',
  'db.collection.name',
  'db.namespace',
  'error.type',
];

const BEARER = 'bearer';

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

// \w as the scrubbing expression reads it (no `u` flag): ASCII letters, digits and '_'.
function isWordChar(code: number): boolean {
  return isDigit(code) || ((code | 32) >= 97 && (code | 32) <= 122) || code === 95;
}

/**
 * Whether `value` could hold what scrubPersonalData looks for: an '@' (e-mail), the word
 * "bearer" in any case, or a run of 13 digits with single spaces or dashes between them (the
 * shortest card number) that starts at a word boundary, as the expression's `\b\d` must. One pass
 * over the characters, no regular expression: most values (ids, paths, user agents, UUIDs, the
 * hex `{trace-id}-{span-id}` request ids) fail it and are never handed to the scrubbing
 * expression, which costs over a microsecond per span when it runs on every attribute.
 */
export function mayHoldPersonalData(value: string): boolean {
  let digits = 0;
  // Whether the digit run being counted began at a word boundary; one inside a word ('a1234…')
  // cannot start a match, but a match may start after a separator within it ('a12-3456…').
  let bounded = false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (isDigit(code)) {
      if (digits === 0) bounded = i === 0 || !isWordChar(value.charCodeAt(i - 1));
      if (bounded && ++digits === 13) return true;
      if (!bounded) digits = 1;
    } else if ((code === 32 || code === 45) && digits > 0 && isDigit(value.charCodeAt(i + 1))) {
      // A separator inside a run of digits: the run goes on, or a bounded one starts after it.
      if (!bounded) digits = 0;
    } else {
      digits = 0;
      if (code === 64) return true;
      if ((code | 32) === 98 && startsWithBearer(value, i)) return true;
    }
  }
  return false;
}

function startsWithBearer(value: string, at: number): boolean {
  for (let k = 1; k < BEARER.length; k++) if ((value.charCodeAt(at + k) | 32) !== BEARER.charCodeAt(k)) return false;
  return true;
}

// The default scrub, behind the cheap check: a custom scrub sees every value.
function scrubPersonalDataQuickly(value: string): string {
  return mayHoldPersonalData(value) ? scrubPersonalData(value) : value;
}

function scrubValue(value: AttributeValue | undefined, scrub: (value: string) => string): AttributeValue | undefined {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((item) => {
      if (typeof item !== 'string') return item;
      const scrubbed = scrub(item);
      if (scrubbed !== item) changed = true;
      return scrubbed;
    });
    return changed ? (out as AttributeValue) : value;
  }
  return value;
}

function scrubAttributes(attributes: Attributes, scrub: (value: string) => string, keep: ReadonlySet<string>): void {
  for (const key in attributes) {
    if (keep.has(key)) continue;
    const value = attributes[key];
    const scrubbed = scrubValue(value, scrub);
    if (scrubbed !== value) attributes[key] = scrubbed;
  }
}

/**
 * A SpanProcessor that scrubs ended spans in place. Put it first in `spanProcessors`, before any
 * processor that exports: processors see a span in order, so the exporters get the scrubbed one.
 *
 * @example
 * new WebTracerProvider({ spanProcessors: [new RedactingSpanProcessor(), new BatchSpanProcessor(exporter)] })
 */
export class RedactingSpanProcessor implements SpanProcessor {
  readonly #scrub: (value: string) => string;
  readonly #keep: ReadonlySet<string>;
  readonly #names: boolean;

  constructor(options: RedactingSpanProcessorOptions = {}) {
    this.#scrub = options.scrub ?? scrubPersonalDataQuickly;
    this.#keep = new Set([...SAFE_KEYS, ...(options.keep ?? [])]);
    this.#names = options.names ?? false;
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    // ReadableSpan's fields are readonly in the type only; the SDK hands out its own objects, and
    // scrubbing them in place avoids copying every span on the hot path.
    if (this.#names) (span as { name: string }).name = this.#scrub(span.name);
    scrubAttributes(span.attributes, this.#scrub, this.#keep);
    for (const event of span.events) if (event.attributes) scrubAttributes(event.attributes, this.#scrub, this.#keep);
    const status = span.status as { message?: string };
    if (status.message) status.message = this.#scrub(status.message);
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}
