/**
 * A bounded map from an app's key (an upload id, a job id) to the trace context that produced it,
 * so work picked up later can join or link to the request's trace. Entries expire, the oldest are
 * evicted beyond the cap, and `take` removes: it cannot grow without bound.
 */
import type { Context } from '@opentelemetry/api';

export interface CorrelationRegistryOptions {
  /** @default 10_000 */
  maxEntries?: number;
  /** @default 600_000 (10 minutes) */
  ttlMs?: number;
  /** @default Date.now */
  now?: () => number;
}

interface Entry {
  context: Context;
  expires: number;
}

export class CorrelationRegistry {
  readonly #entries = new Map<string, Entry>();
  readonly #max: number;
  readonly #ttl: number;
  readonly #now: () => number;

  constructor(options: CorrelationRegistryOptions = {}) {
    this.#max = options.maxEntries ?? 10_000;
    this.#ttl = options.ttlMs ?? 600_000;
    this.#now = options.now ?? Date.now;
    if (!(this.#max >= 1)) throw new RangeError(`flowtrace: maxEntries must be at least 1, got ${this.#max}`);
  }

  /** Remembers `context` under `key`, replacing an older entry. */
  remember(key: string, context: Context): void {
    this.#entries.delete(key);
    this.#entries.set(key, { context, expires: this.#now() + this.#ttl });
    this.#sweep();
  }

  /** The context remembered under `key`, removing it; undefined when absent or expired. */
  take(key: string): Context | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    return entry.expires > this.#now() ? entry.context : undefined;
  }

  /** The context under `key` without removing it. */
  peek(key: string): Context | undefined {
    const entry = this.#entries.get(key);
    return entry && entry.expires > this.#now() ? entry.context : undefined;
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }

  #sweep(): void {
    // Map keeps insertion order and remember() re-inserts, so the oldest entries come first.
    const now = this.#now();
    for (const [key, entry] of this.#entries) {
      if (this.#entries.size <= this.#max && entry.expires > now) break;
      this.#entries.delete(key);
    }
  }
}
