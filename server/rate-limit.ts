/**
 * A per-client token bucket: each client may send `burst` requests at once and `perSecond` on
 * average. Buckets of idle clients are dropped, so the table stays bounded under address churn.
 */

export interface RateLimitOptions {
  /** Sustained requests per second per client. @default 50 */
  perSecond?: number;
  /** Requests a client may send at once. @default 100 */
  burst?: number;
  /** Most clients tracked at once; past it the least recently seen are forgotten. @default 10000 */
  maxClients?: number;
}

/** The verdict on one request: allowed, or how long to wait. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updated: number;
}

export class RateLimiter {
  readonly #perSecond: number;
  readonly #burst: number;
  readonly #maxClients: number;
  readonly #now: () => number;
  // Insertion order doubles as recency: a client is re-inserted on every request.
  readonly #buckets = new Map<string, Bucket>();

  constructor({ perSecond = 50, burst = 100, maxClients = 10_000 }: RateLimitOptions = {}, now: () => number = () => performance.now()) {
    if (!(perSecond > 0) || !(burst >= 1)) {
      throw new RangeError(`flowtrace: rate limit needs perSecond > 0 and burst >= 1, got ${perSecond} and ${burst}`);
    }
    this.#perSecond = perSecond;
    this.#burst = burst;
    this.#maxClients = maxClients;
    this.#now = now;
  }

  /** Takes one token from `client`'s bucket. */
  take(client: string): RateDecision {
    const now = this.#now();
    const bucket = this.#buckets.get(client) ?? { tokens: this.#burst, updated: now };
    bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.updated) / 1000) * this.#perSecond);
    bucket.updated = now;
    this.#buckets.delete(client);
    this.#buckets.set(client, bucket);
    if (this.#buckets.size > this.#maxClients) this.#buckets.delete(this.#buckets.keys().next().value!);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.#perSecond)) };
  }

  get clients(): number {
    return this.#buckets.size;
  }
}
