/**
 * The OTLP/HTTP trace receiver (`POST {basePath}/v1/traces`), like a Collector's otlp receiver:
 * JSON or protobuf, optionally gzip-compressed, exactly as OpenTelemetry's exporters and the
 * Collector's otlphttp exporter send them (https://opentelemetry.io/docs/specs/otlp/#otlphttp).
 *
 * Everything arriving here is untrusted input, so it is rate-limited per client (429 with
 * Retry-After), size-capped before and after decompression (413), then run through the pipeline
 * (ingest-pipeline.ts: validated with 400 naming the field, capped in spans per request with the
 * rest rejected as an OTLP partial success, scrubbed, handed to the store and/or upstream).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { diag } from '@opentelemetry/api';
import { OtlpDecodeError } from '../otlp/otlp-json.ts';
import { encodeExportResponse, encodeRpcStatus } from '../otlp/otlp-protobuf.ts';
import type { Side, SpanRecord } from '../shared/span-record.ts';
import { runIngestPipeline, type Encoding, type IngestResult, type IngestSinks } from './ingest-pipeline.ts';
import { RateLimiter, type RateLimitOptions } from './rate-limit.ts';
import { BodyTooLargeError, readBody } from './read-body.ts';

const gunzipAsync = promisify(gunzip);

export interface IngestOptions {
  /**
   * Largest accepted body, compressed and after decompression.
   * @default 1_048_576 (1 MiB)
   */
  maxBodyBytes?: number;
  /**
   * Most spans stored from one request; the rest are rejected as an OTLP partial success.
   * @default 5000
   */
  maxSpansPerRequest?: number;
  /**
   * Per-client rate limit on export requests, or `false` for none.
   * @default { perSecond: 50, burst: 100 }
   */
  rateLimit?: RateLimitOptions | false;
  /**
   * Who a request counts against for the rate limit.
   * @default the socket's remote address (put a trusted proxy's client address here if you have one)
   */
  clientKey?: (req: IncomingMessage) => string;
  /**
   * Who recorded the spans this endpoint receives: their `side`, and so their role in matchers.
   * Decided by the receiver, never by the body, so a browser cannot pass its spans off as the
   * server's. Set `'server'` only on an ingest that just a trusted Collector can reach.
   * @default 'browser'
   */
  side?: Side;
}

const CONTENT_TYPES: Record<string, Encoding> = { 'application/json': 'json', 'application/x-protobuf': 'protobuf' };
// google.rpc.Code values for the Status body of protobuf error responses.
const RPC_CODE: Record<number, number> = { 400: 3, 413: 8, 429: 8, 503: 14 };

function fail(res: ServerResponse, encoding: Encoding, status: number, message: string, headers: Record<string, string> = {}): void {
  if (encoding === 'protobuf') {
    res.writeHead(status, { 'content-type': 'application/x-protobuf', ...headers });
    res.end(encodeRpcStatus(RPC_CODE[status] ?? 2, message));
  } else {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
    res.end(JSON.stringify({ error: message }));
  }
}

function succeed(res: ServerResponse, encoding: Encoding, rejectedSpans: number, message: string): void {
  if (encoding === 'protobuf') {
    res.writeHead(200, { 'content-type': 'application/x-protobuf' });
    res.end(encodeExportResponse(rejectedSpans, message));
  } else {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ partialSuccess: rejectedSpans ? { rejectedSpans, errorMessage: message } : {} }));
  }
}

/** Refuses without reading the body: the connection closes so the unread body cannot linger on it. */
function refuseUnread(req: IncomingMessage, res: ServerResponse, send: () => void): void {
  res.shouldKeepAlive = false;
  send();
  req.resume();
}

async function inflate(body: Buffer, encoding: string, limit: number): Promise<Buffer> {
  if (encoding === 'gzip') {
    try {
      return await gunzipAsync(body, { maxOutputLength: limit });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new BodyTooLargeError(`body exceeds the ${limit}-byte limit once decompressed`);
      }
      throw new OtlpDecodeError(`body is not valid gzip: ${(error as Error).message}`);
    }
  }
  return body;
}

/**
 * Creates the handler for OTLP/HTTP trace exports. Spans go to the sinks: `store` gets validated,
 * scrubbed records; `upstream` gets the scrubbed spans in their wire form, to forward. A function
 * is taken as the store sink.
 * @throws RangeError at creation for a bad limit.
 */
export function createIngestHandler(sinks: IngestSinks | ((spans: SpanRecord[]) => void), options: IngestOptions = {}) {
  const resolved: IngestSinks = typeof sinks === 'function' ? { store: sinks } : sinks;
  const { maxBodyBytes = 1_048_576, maxSpansPerRequest = 5000, rateLimit = {}, clientKey = (req) => req.socket.remoteAddress ?? 'unknown', side = 'browser' } = options;
  if (!(maxBodyBytes > 0) || !(maxSpansPerRequest > 0)) {
    throw new RangeError(`flowtrace: maxBodyBytes and maxSpansPerRequest must be positive, got ${maxBodyBytes} and ${maxSpansPerRequest}`);
  }
  const limiter = rateLimit === false ? undefined : new RateLimiter(rateLimit);

  return async function flowtraceIngest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const encoding = CONTENT_TYPES[type];
    if (!encoding) {
      return refuseUnread(req, res, () =>
        fail(res, 'json', 415, `unsupported content-type ${JSON.stringify(type)}; send application/json or application/x-protobuf (OTLP/HTTP)`),
      );
    }
    const contentEncoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (contentEncoding !== 'identity' && contentEncoding !== 'gzip') {
      return refuseUnread(req, res, () => fail(res, encoding, 415, `unsupported content-encoding ${JSON.stringify(contentEncoding)}; send gzip or none`));
    }
    const verdict = limiter?.take(clientKey(req));
    if (verdict && !verdict.allowed) {
      const retry = String(verdict.retryAfterSeconds);
      return refuseUnread(req, res, () => fail(res, encoding, 429, `too many export requests; retry after ${retry} s`, { 'retry-after': retry }));
    }
    let body: Buffer;
    try {
      body = await inflate(await readBody(req, maxBodyBytes), contentEncoding, maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        res.shouldKeepAlive = false;
        return fail(res, encoding, 413, error.message);
      }
      if (error instanceof OtlpDecodeError) return fail(res, encoding, 400, `invalid OTLP ${encoding}: ${error.message}`);
      throw error;
    }
    if (!resolved.store && !resolved.upstream) return fail(res, encoding, 503, 'no trace store or upstream exporter is configured to take spans');
    let result: IngestResult;
    try {
      result = runIngestPipeline(body, encoding, side, maxSpansPerRequest, resolved);
    } catch (error) {
      if (error instanceof OtlpDecodeError) return fail(res, encoding, 400, `invalid OTLP ${encoding}: ${error.message}`);
      diag.error('flowtrace: taking ingested spans failed', error);
      return fail(res, encoding, 503, 'spans could not be taken');
    }
    // Like a Collector whose queue is full: 429 with Retry-After, so OTLP exporters retry the whole
    // request instead of losing it (https://opentelemetry.io/docs/specs/otlp/#otlphttp-throttling).
    if (result.retry) return fail(res, encoding, 429, `${result.message}; retry after 1 s`, { 'retry-after': '1' });
    succeed(res, encoding, result.rejected, result.message);
  };
}
