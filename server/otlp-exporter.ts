/**
 * OTLP/HTTP protobuf span exporter, behaving as OpenTelemetry's `OTLPTraceExporter` does on the
 * wire (gzip, retry on 429/502/503/504 and network errors with exponential backoff and jitter,
 * `Retry-After` honoured, one deadline over all attempts), but encoding with our own one-pass
 * encoder (otlp/encode-spans.ts): OpenTelemetry's serializer measured about 2.5x slower here, and it
 * cannot write spans forwarded from browsers with their int64 values and resource intact.
 *
 * It never blocks a request: the queue in front of it (export-queue.ts) calls it in the
 * background, and everything it does is asynchronous and bounded in time.
 */
import { request as httpRequest, Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { diag } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { encodeSpans } from '../otlp/encode-spans.ts';

const gzipAsync = promisify(gzip);
// Level 1, not zlib's default 6: CPU matters more here than a few per cent of bytes. On a batch
// of 2000 browser-shaped spans (641 KB of protobuf) level 1 took 3.8 ms for 41.0 KB, level 6 took
// 10.1 ms for 39.2 KB (~5 % smaller). A forwarding ingest runs out of CPU first, and zlib's work
// competes with the app's requests for the same cores. Collectors decompress any level alike.
const GZIP = { level: 1 };

/** Where and how {@link OtlpHttpExporter} sends spans. */
export interface OtlpExportOptions {
  /**
   * The collector's OTLP/HTTP traces URL.
   * @default 'http://localhost:4318/v1/traces'
   */
  url?: string;
  /** Extra request headers, e.g. an API key. */
  headers?: Record<string, string>;
  /** @default 'gzip' */
  compression?: 'gzip' | 'none';
  /**
   * Longest one export may take, all retries included; then its spans count as failed.
   * @default 10_000
   */
  timeoutMillis?: number;
  /**
   * Most attempts per batch (the first included).
   * @default 5
   */
  maxAttempts?: number;
  /**
   * First retry delay; each further one is 1.5x longer (±20 % jitter), at most 5 s.
   * @default 1000
   */
  initialBackoffMillis?: number;
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const MAX_BACKOFF_MS = 5000;

class RetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** Milliseconds a `Retry-After` header asks for (seconds or an HTTP date), if it is valid. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** An OTLP/HTTP protobuf `SpanExporter` with our encoder; see the file comment for why it is ours. */
export class OtlpHttpExporter implements SpanExporter {
  readonly #url: URL;
  readonly #headers: Record<string, string>;
  readonly #gzip: boolean;
  readonly #timeoutMs: number;
  readonly #maxAttempts: number;
  readonly #backoffMs: number;
  readonly #agent: HttpAgent;
  readonly #pending = new Set<Promise<void>>();
  #stopped = false;

  constructor(options: OtlpExportOptions = {}) {
    const { url = 'http://localhost:4318/v1/traces', headers = {}, compression = 'gzip', timeoutMillis = 10_000, maxAttempts = 5, initialBackoffMillis = 1000 } = options;
    this.#url = new URL(url);
    if (this.#url.protocol !== 'http:' && this.#url.protocol !== 'https:') {
      throw new TypeError(`flowtrace: the OTLP export url must be http: or https:, got ${JSON.stringify(url)}`);
    }
    if (!(timeoutMillis > 0) || !(maxAttempts >= 1) || !(initialBackoffMillis >= 0)) {
      throw new RangeError(`flowtrace: export timeoutMillis and maxAttempts must be positive, got ${timeoutMillis} and ${maxAttempts}`);
    }
    this.#headers = headers;
    this.#gzip = compression === 'gzip';
    this.#timeoutMs = timeoutMillis;
    this.#maxAttempts = Math.floor(maxAttempts);
    this.#backoffMs = initialBackoffMillis;
    this.#agent = this.#url.protocol === 'https:' ? new HttpsAgent({ keepAlive: true, maxSockets: 4 }) : new HttpAgent({ keepAlive: true, maxSockets: 4 });
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.#stopped) return resultCallback({ code: ExportResultCode.FAILED, error: new Error('flowtrace: exporter is shut down') });
    const sent = this.#send(spans).then(
      () => resultCallback({ code: ExportResultCode.SUCCESS }),
      (error: unknown) => {
        diag.warn(`flowtrace: exporting ${spans.length} spans to ${this.#url.origin} failed`, error);
        resultCallback({ code: ExportResultCode.FAILED, error: error as Error });
      },
    );
    this.#pending.add(sent);
    void sent.finally(() => this.#pending.delete(sent));
  }

  async #send(spans: ReadableSpan[]): Promise<void> {
    const encoded = encodeSpans(spans);
    const body = this.#gzip ? await gzipAsync(encoded, GZIP) : encoded;
    const deadline = Date.now() + this.#timeoutMs;
    let delay = this.#backoffMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#post(body, deadline - Date.now());
      } catch (error) {
        if (!(error instanceof RetryableError) || attempt >= this.#maxAttempts || this.#stopped) throw error;
        const jittered = delay * (0.8 + Math.random() * 0.4);
        const wait = error.retryAfterMs ?? jittered;
        if (Date.now() + wait >= deadline) throw new Error(`${error.message}; no time left to retry within ${this.#timeoutMs} ms`, { cause: error });
        await new Promise((resolve) => setTimeout(resolve, wait).unref());
        delay = Math.min(delay * 1.5, MAX_BACKOFF_MS);
      }
    }
  }

  #post(body: Uint8Array, timeoutMs: number): Promise<void> {
    const send = this.#url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      if (timeoutMs <= 0) return reject(new Error(`export gave up after ${this.#timeoutMs} ms`));
      const req = send(this.#url, {
        method: 'POST',
        agent: this.#agent,
        headers: {
          ...this.#headers,
          'content-type': 'application/x-protobuf',
          'content-length': body.byteLength,
          ...(this.#gzip ? { 'content-encoding': 'gzip' } : {}),
        },
      });
      // A hanging collector: give up on this attempt when the export's time is up.
      const timer = setTimeout(() => req.destroy(new RetryableError(`no answer within ${timeoutMs} ms`)), timeoutMs);
      timer.unref();
      req.on('response', (res: IncomingMessage) => {
        res.resume();
        res.on('end', () => {
          clearTimeout(timer);
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else if (RETRYABLE_STATUS.has(status)) reject(new RetryableError(`collector answered ${status}`, parseRetryAfter(res.headers['retry-after'] as string | undefined)));
          else reject(new Error(`collector answered ${status}; not retried (OTLP/HTTP: only 429, 502, 503 and 504 are)`));
        });
        res.on('error', (error) => {
          clearTimeout(timer);
          reject(new RetryableError(`reading the answer failed: ${error.message}`));
        });
      });
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(error instanceof RetryableError ? error : new RetryableError(`request failed: ${error.message}`));
      });
      req.end(body);
    });
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.#pending);
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
    this.#stopped = true;
    this.#agent.destroy();
  }
}
