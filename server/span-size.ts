/**
 * A cheap estimate of the heap a stored span takes, for the store's byte cap. Not exact (V8 does
 * not say), but proportional to what a sender controls: strings, attributes, events and links.
 */
import type { Attributes, SpanRecord } from '../shared/span-record.ts';

// A rough figure for a SpanRecord's fixed part: the object, its two hex ids, numbers, and the
// nested status, attribute, event and link containers. Strings count two bytes a character.
// It errs high on purpose: for 20000 browser-like spans (six attributes) the heap measured with
// --expose-gc on Node 20 was 0.53x this estimate, so `maxBytes` bounds the real heap from above.
const SPAN_OVERHEAD = 600;
const ENTRY_OVERHEAD = 48;

function attributesBytes(attributes: Attributes): number {
  let bytes = 0;
  for (const key in attributes) {
    const value = attributes[key];
    bytes += ENTRY_OVERHEAD + key.length * 2;
    if (typeof value === 'string') bytes += value.length * 2;
    else if (Array.isArray(value)) for (const item of value) bytes += 16 + (typeof item === 'string' ? item.length * 2 : 8);
    else bytes += 8;
  }
  return bytes;
}

/** Estimated bytes one span holds in the store. */
export function estimateSpanBytes(span: SpanRecord): number {
  let bytes = SPAN_OVERHEAD + (span.name.length + span.service.length + (span.status.message?.length ?? 0)) * 2;
  bytes += attributesBytes(span.attributes);
  for (const event of span.events) bytes += ENTRY_OVERHEAD * 2 + event.name.length * 2 + attributesBytes(event.attributes);
  for (const link of span.links) bytes += ENTRY_OVERHEAD * 3 + attributesBytes(link.attributes);
  return bytes;
}
