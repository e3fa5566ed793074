/**
 * The OTLP/HTTP receiver for browser spans (`POST {basePath}/v1/traces`, JSON), like a
 * Collector's otlp receiver: validated, size-capped, then stored. Browsers export to their own
 * origin, so no CORS, and ad blockers that block vendor hosts do not see it (DESIGN.md §5).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { diag } from '@opentelemetry/api';
import { decodeOtlpJson, OtlpDecodeError } from '../shared/otlp-json.ts';
import type { SpanRecord } from '../shared/span-record.ts';
import { BodyTooLargeError, readBody } from './read-body.ts';

export interface IngestOptions {
  /**
   * Largest accepted body.
   * @default 1_048_576 (1 MiB)
   */
  maxBodyBytes?: number;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * Handles one OTLP/HTTP export request and passes the decoded spans to `accept`.
 * Answers 200 with an empty OTLP response, or 4xx with `{ error }` naming what was wrong.
 */
export async function handleIngest(
  req: IncomingMessage,
  res: ServerResponse,
  accept: (spans: SpanRecord[]) => void,
  { maxBodyBytes = 1_048_576 }: IngestOptions = {},
): Promise<void> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    reply(res, 415, { error: `unsupported content-type ${JSON.stringify(type)}; send application/json (OTLP/JSON)` });
    req.resume();
    return;
  }
  let body: Buffer;
  try {
    body = await readBody(req, maxBodyBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      res.setHeader('connection', 'close');
      return reply(res, 413, { error: error.message });
    }
    throw error;
  }
  let spans: SpanRecord[];
  try {
    spans = decodeOtlpJson(JSON.parse(body.toString('utf8')), 'browser');
  } catch (error) {
    if (error instanceof SyntaxError) return reply(res, 400, { error: `body is not JSON: ${error.message}` });
    if (error instanceof OtlpDecodeError) return reply(res, 400, { error: `invalid OTLP/JSON: ${error.message}` });
    throw error;
  }
  try {
    accept(spans);
  } catch (error) {
    diag.error('flowtrace: storing ingested spans failed', error);
    return reply(res, 503, { error: 'spans could not be stored' });
  }
  reply(res, 200, { partialSuccess: {} });
}
