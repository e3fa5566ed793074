/**
 * Trace and span ids from a pool of cryptographically random bytes, for the server's tracer.
 *
 * OpenTelemetry's RandomIdGenerator writes Math.random() into a buffer four bytes at a time and
 * hex-encodes it, twice for every new root span, sampled or not: about 0.2 µs per id here, a
 * large share of an unrecorded request's budget. This draws 8 KiB from the CSPRNG at a time,
 * hex-encodes them once, and hands out slices: a few tens of nanoseconds per id. Every byte is
 * random, so each trace id it makes may carry W3C Level 2's random-trace-id flag.
 *
 * {@link PooledRandomIdGenerator.peekTraceId} lets the HTTP middleware decide a new root's
 * sampling before the SDK is asked to start it (server/unsampled-roots.ts).
 */
import { randomFillSync } from 'node:crypto';
import type { IdGenerator } from '@opentelemetry/sdk-trace-base';

const POOL_BYTES = 8192;
const INVALID_TRACE_ID = '0'.repeat(32);
const INVALID_SPAN_ID = '0'.repeat(16);

/** An {@link IdGenerator} drawing ids from a pool of random bytes. */
export class PooledRandomIdGenerator implements IdGenerator {
  readonly #bytes = Buffer.allocUnsafe(POOL_BYTES);
  #hex = '';
  #offset = 0;
  // A trace id handed out by peekTraceId, kept for the next generateTraceId.
  #peeked: string | undefined;

  #take(chars: number): string {
    if (this.#offset + chars > this.#hex.length) {
      randomFillSync(this.#bytes);
      this.#hex = this.#bytes.toString('hex');
      this.#offset = 0;
    }
    return this.#hex.slice(this.#offset, (this.#offset += chars));
  }

  generateTraceId(): string {
    const peeked = this.#peeked;
    if (peeked !== undefined) {
      this.#peeked = undefined;
      return peeked;
    }
    const id = this.#take(32);
    // All zeros is the invalid id (W3C Trace Context §trace-id); odds of 2^-128, but never send it.
    return id === INVALID_TRACE_ID ? this.generateTraceId() : id;
  }

  /**
   * The trace id the next {@link generateTraceId} returns, without using it up. Span ids are
   * drawn apart from it, so the SDK may take a span id first (it does) and still get this id.
   */
  peekTraceId(): string {
    return (this.#peeked ??= this.generateTraceId());
  }

  generateSpanId(): string {
    const id = this.#take(16);
    return id === INVALID_SPAN_ID ? this.generateSpanId() : id;
  }
}
