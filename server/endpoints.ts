/**
 * flowtrace's own HTTP endpoints, as one connect-style middleware mounted before the tracing
 * middleware (so polling them does not trace itself):
 *
 * - `POST {basePath}/v1/traces`: OTLP/HTTP JSON ingest for browser spans
 * - `GET  {basePath}/api/traces?testId=…`: a test's traces, with open-span counts
 * - `GET  {basePath}/api/traces/{traceId}`: one trace
 * - `POST {basePath}/api/flush`: export every ended server span now
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { diag } from '@opentelemetry/api';
import type { SpanRecord } from '../shared/span-record.ts';
import { missingParents } from '../shared/span-tree.ts';
import type { NextFunction } from './http.ts';
import { handleIngest, type IngestOptions } from './ingest.ts';
import type { ServerTracing } from './tracing.ts';

export interface EndpointsOptions extends IngestOptions {
  /** @default '/flowtrace' */
  basePath?: string;
}

/** One trace as the trace API returns it. */
export interface TraceResponse {
  traceId: string;
  spans: SpanRecord[];
  /** Server spans of this trace that have started and not ended. */
  openSpans: number;
  /** Parent span ids referred to but not stored (yet). */
  missingParents: string[];
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** Creates the middleware serving flowtrace's endpoints; other requests go to `next`. */
export function createFlowtraceEndpoints(tracing: ServerTracing, options: EndpointsOptions = {}) {
  const { basePath = '/flowtrace', ...ingestOptions } = options;
  const { store, openSpans } = tracing;

  const traceResponse = (traceId: string): TraceResponse => {
    const spans = store?.trace(traceId) ?? [];
    return { traceId, spans, openSpans: openSpans.openIn(traceId), missingParents: missingParents(spans) };
  };

  async function route(req: IncomingMessage, res: ServerResponse, path: string, url: URL): Promise<boolean> {
    if (req.method === 'POST' && path === '/v1/traces') {
      await handleIngest(req, res, (spans) => {
        if (!store) throw new Error('no trace store configured');
        store.add(spans);
      }, ingestOptions);
      return true;
    }
    if (!store) return false;
    if (req.method === 'POST' && path === '/api/flush') {
      await tracing.forceFlush();
      res.writeHead(204).end();
      return true;
    }
    if (req.method === 'GET' && path === '/api/traces') {
      const testId = url.searchParams.get('testId');
      const ids = testId ? store.traceIdsForTest(testId) : store.recent(Number(url.searchParams.get('limit') ?? 50)).map((t) => t.traceId);
      json(res, 200, { traces: ids.map(traceResponse) });
      return true;
    }
    const one = /^\/api\/traces\/([0-9a-f]{32})$/.exec(path);
    if (req.method === 'GET' && one?.[1]) {
      const trace = traceResponse(one[1]);
      json(res, trace.spans.length ? 200 : 404, trace.spans.length ? trace : { error: `no trace ${one[1]}` });
      return true;
    }
    return false;
  }

  return function flowtraceEndpoints(req: IncomingMessage, res: ServerResponse, next: NextFunction): void {
    const target = req.url ?? '/';
    if (!target.startsWith(basePath + '/')) return next();
    const url = new URL(target, 'http://localhost');
    route(req, res, url.pathname.slice(basePath.length), url).then(
      (handled) => {
        if (!handled) json(res, 404, { error: `no flowtrace endpoint ${req.method} ${url.pathname}` });
      },
      (error: unknown) => {
        diag.error('flowtrace: endpoint failed', error);
        if (!res.headersSent) json(res, 500, { error: 'flowtrace endpoint failed' });
        else res.destroy();
      },
    );
  };
}
