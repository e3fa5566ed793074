/**
 * OTLP `KeyValue`s with an encoding cache, shared by both encoders: server spans
 * (encode-spans.ts) and forwarded browser spans (encode-forwarded.ts).
 *
 * A service's spans carry the same keys over and over, and mostly the same values too (method,
 * route, scheme, address, protocol, user agent, test id). Each key's encoded `key` field is kept,
 * and with it the whole encoded `KeyValue` of the last value it had, while that value keeps
 * repeating: a repeat is then one copy of a few dozen bytes instead of a dispatch on the value's
 * type, two length prefixes and two ASCII loops. A key whose value keeps changing (a request id)
 * stops having its values kept after a few changes, so it costs no copy per span.
 *
 * Keys and values come from untrusted browsers too, so the cache is bounded (at most
 * {@link MAX_CACHED_KEYS} keys, and only small `KeyValue`s are kept whole) and is a `Map`: a key
 * such as `__proto__` or `constructor` is only a string to it, never an inherited property.
 */
import { ProtobufWriter, WIRE_LENGTH } from './protobuf-writer.ts';

/** Most keys kept; enough for every semantic-convention key a service uses, and then some. */
export const MAX_CACHED_KEYS = 1024;
/** Largest `KeyValue` kept whole, in bytes (so the cache holds at most ~256 KiB of values). */
const MAX_WHOLE_BYTES = 256;
/** Value changes after which a key's values are no longer kept. */
const MAX_CHANGES = 4;

/** A value the cache can compare with `===`: a string, boolean or number and how it is written. */
export type CacheToken = string | number | boolean | undefined;

interface Entry {
  /** Field 1 of the `KeyValue`, tag and length included. */
  key: Uint8Array;
  /** The last value written whole, and the whole `KeyValue` (length prefix included) for it. */
  value: CacheToken;
  whole: Uint8Array | undefined;
  changes: number;
}

const entries = new Map<string, Entry>();
// Cached bytes are copied out of the message being written into small buffers of their own.
const scratch = new ProtobufWriter(64);

function entryFor(key: string): Entry | undefined {
  let entry = entries.get(key);
  if (entry === undefined && entries.size < MAX_CACHED_KEYS) {
    scratch.start(key.length * 3 + 8);
    scratch.tag(1, WIRE_LENGTH);
    scratch.string(key);
    entries.set(key, (entry = { key: scratch.finish(), value: undefined, whole: undefined, changes: 0 }));
  }
  return entry;
}

/**
 * Writes one `KeyValue` message (its length prefix, the key, and the value `write` writes as an
 * `AnyValue` body), after its tag. `token` is the value as the cache compares it: pass a string,
 * boolean or number only when equal tokens always encode to equal bytes, and `undefined` for
 * values it should not keep.
 */
export function writeKeyValue<V>(w: ProtobufWriter, key: string, token: CacheToken, value: V, write: (w: ProtobufWriter, value: V) => void): void {
  const entry = entryFor(key);
  if (entry !== undefined && token !== undefined && entry.whole !== undefined && entry.value === token) {
    w.raw(entry.whole);
    return;
  }
  const start = w.pos;
  const at = w.begin(1);
  if (entry === undefined) {
    w.tag(1, WIRE_LENGTH);
    w.string(key);
  } else w.raw(entry.key);
  w.tag(2, WIRE_LENGTH);
  const inner = w.begin(1);
  write(w, value);
  w.end(inner, 1);
  w.end(at, 1);
  if (entry === undefined || token === undefined || entry.changes >= MAX_CHANGES) return;
  if (entry.whole !== undefined && ++entry.changes >= MAX_CHANGES) {
    entry.whole = undefined;
    return;
  }
  const size = w.pos - start;
  if (size > MAX_WHOLE_BYTES) return;
  const whole = new Uint8Array(size);
  whole.set(w.buf.subarray(start, w.pos));
  entry.value = token;
  entry.whole = whole;
}

/** Forgets every cached key and value (for tests). */
export function resetAttributeCache(): void {
  entries.clear();
}

/** How many keys are cached (for tests). */
export function cachedKeyCount(): number {
  return entries.size;
}
