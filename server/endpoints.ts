/**
 * flowtrace's own HTTP endpoints, as one connect-style middleware mounted before the tracing
 * middleware (so polling them does not trace itself):
 *
 * - `POST {basePath}/v1/traces`: OTLP/HTTP ingest, JSON or protobuf (open: browsers export here)
 * - `GET  {basePath}/api/traces?testId=…`: a test's traces, with open-span counts
 * - `GET  {basePath}/api/traces/{traceId}`: one trace
 * - `GET  {basePath}/api/summaries?testId&name&service&error&limit`: recent traces, filtered
 * - `POST {basePath}/api/flush[?testId=…]`: export every ended server span now; with a test id, answers
 *   what this process has exported upstream for it (`TestExports`), even with the store off
 * - `GET  {basePath}/viewer`, `{basePath}/viewer/trace/{traceId}`: the trace viewer (from the store, or
 *   from Jaeger with `traceSource`), and `…/trace/{traceId}/span/{spanId}`, `…/group/{spanId}`,
 *   `…/rows/{first}`: a span's details, a folded group's rows and a chunk of rows, loaded as a person
 *   opens or scrolls to them; `…/assertion`: the "Copy as assertion" text (text/plain); and
 *   `…/place/{spanId}`: where a span's row is (`SpanPlace` JSON), for `#span-…` links
 *
 * Everything but the ingest is behind the access check (see {@link AccessOptions}).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { diag } from '@opentelemetry/api';
import type { SpanRecord } from '../shared/span-record.ts';
import { missingParents } from '../shared/span-tree.ts';
import { placeOfSpan } from '../shared/waterfall-html.ts';
import { createAccessCheck, type AccessOptions } from './access.ts';
import type { NextFunction } from './http.ts';
import { createIngestHandler, type IngestOptions } from './ingest.ts';
import { jaegerViewerSource, type JaegerSourceOptions, type ViewerSource } from './jaeger-source.ts';
import type { TraceQuery } from './store.ts';
import type { ServerTracing } from './tracing.ts';
import { assertionText, renderTraceFragment, renderTraceList, renderTracePage } from './viewer.ts';
import { VIEWER_CSP } from './viewer-script.ts';

export interface EndpointsOptions extends IngestOptions {
  /** @default '/flowtrace' */
  basePath?: string;
  /** Who may read traces through the API and the viewer. @default open unless NODE_ENV is 'production' */
  access?: AccessOptions;
  /** Serve the trace viewer. @default true */
  viewer?: boolean;
  /**
   * Where the viewer reads traces when the app runs on several instances with the store off:
   * Jaeger's query service (the same source as `flowtrace/testing`'s `traceSource`).
   * @default the in-process store
   */
  traceSource?: JaegerSourceOptions;
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

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': VIEWER_CSP,
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

function queryOf(url: URL): TraceQuery {
  const get = (key: string) => url.searchParams.get(key) || undefined;
  const error = get('error');
  const limit = Number(get('limit') ?? 50);
  return {
    ...(get('testId') ? { testId: get('testId') } : {}),
    ...(get('name') ? { name: get('name') } : {}),
    ...(get('service') ? { service: get('service') } : {}),
    ...(error === 'true' || error === 'false' ? { error: error === 'true' } : {}),
    limit: Number.isInteger(limit) && limit > 0 ? Math.min(limit, 1000) : 50,
  };
}

/** Creates the middleware serving flowtrace's endpoints; other requests go to `next`. */
export function createFlowtraceEndpoints(tracing: ServerTracing, options: EndpointsOptions = {}) {
  const { basePath = '/flowtrace', access, viewer = true, traceSource, ...ingestOptions } = options;
  const { store, openSpans } = tracing;
  // What the viewer shows: the backend's traces when it is given (several instances), else the store's.
  const source: ViewerSource | undefined = traceSource
    ? jaegerViewerSource(traceSource)
    : store && { search: async (query) => store.search(query), trace: async (traceId) => store.trace(traceId) };
  const mayRead = createAccessCheck(access, basePath);
  const ingest = createIngestHandler(
    { ...(store ? { store: (spans: SpanRecord[]) => store.add(spans) } : {}), ...(tracing.forward ? { upstream: tracing.forward } : {}) },
    ingestOptions,
  );

  const traceResponse = (traceId: string): TraceResponse => {
    const spans = store?.trace(traceId) ?? [];
    return { traceId, spans, openSpans: openSpans.openIn(traceId), missingParents: missingParents(spans) };
  };

  async function route(req: IncomingMessage, res: ServerResponse, path: string, url: URL): Promise<boolean> {
    if (req.method === 'POST' && path === '/v1/traces') {
      await ingest(req, res);
      return true;
    }
    const isFlush = req.method === 'POST' && path === '/api/flush';
    const isViewer = viewer && req.method === 'GET' && (path === '/viewer' || path.startsWith('/viewer/'));
    // With the store off, the flush (for tests reading a backend) and a viewer reading Jaeger remain.
    if (!store && !isFlush && !(isViewer && traceSource)) return false;
    if (!(await mayRead(req, res, url))) {
      json(res, 403, { error: 'reading traces needs access: send Authorization: Bearer <token>, or configure access.allow' });
      return true;
    }
    if (isFlush) {
      await tracing.forceFlush();
      const testId = url.searchParams.get('testId');
      if (testId) json(res, 200, tracing.exportedForTest(testId));
      else res.writeHead(204).end();
      return true;
    }
    if (isViewer) return viewerPage(res, path, url);
    if (!store || req.method !== 'GET') return false;
    if (path === '/api/traces') {
      const query = queryOf(url);
      const ids = query.testId && !query.name && !query.service && query.error === undefined
        ? store.traceIdsForTest(query.testId)
        : store.search(query).map((t) => t.traceId);
      json(res, 200, { traces: ids.map(traceResponse) });
      return true;
    }
    if (path === '/api/summaries') {
      json(res, 200, { traces: store.search(queryOf(url)) });
      return true;
    }
    const one = /^\/api\/traces\/([0-9a-f]{32})$/.exec(path);
    if (one?.[1]) {
      const trace = traceResponse(one[1]);
      json(res, trace.spans.length ? 200 : 404, trace.spans.length ? trace : { error: `no trace ${one[1]}` });
      return true;
    }
    return false;
  }

  async function viewerTrace(from: ViewerSource, traceId: string): Promise<TraceResponse> {
    const spans = await from.trace(traceId);
    // Open spans are known only to this process; a backend holds ended spans only.
    return { traceId, spans, openSpans: traceSource ? 0 : openSpans.openIn(traceId), missingParents: missingParents(spans) };
  }

  async function viewerPage(res: ServerResponse, path: string, url: URL): Promise<boolean> {
    if (!source) return false;
    if (path === '/viewer' || path === '/viewer/') {
      const query = queryOf(url);
      html(res, 200, renderTraceList(await source.search(query), query, basePath));
      return true;
    }
    const page = /^\/viewer\/trace\/([0-9a-f]{32})$/.exec(path);
    if (page?.[1]) {
      // The page reads the trace as the trace API does, so it shows the same open spans and
      // missing parents, whichever source (the store, or Jaeger) it reads.
      const trace = await viewerTrace(source, page[1]);
      html(res, trace.spans.length ? 200 : 404, renderTracePage(page[1], trace, basePath));
      return true;
    }
    const part = /^\/viewer\/trace\/([0-9a-f]{32})\/(?:(span|group)\/([0-9a-f]{16})|rows\/(\d{1,6}))$/.exec(path);
    if (part?.[1]) {
      const fragment = part[4] === undefined
        ? { part: part[2] as 'span' | 'group', spanId: part[3]! }
        : { part: 'rows' as const, first: Number(part[4]) };
      const body = renderTraceFragment(part[1], await source.trace(part[1]), fragment, basePath);
      html(res, body === undefined ? 404 : 200, body ?? `<p>No such span in trace ${part[1]}.</p>`);
      return true;
    }
    const assertion = /^\/viewer\/trace\/([0-9a-f]{32})\/assertion$/.exec(path);
    if (assertion?.[1]) {
      const body = assertionText(await source.trace(assertion[1]));
      text(res, body === undefined ? 404 : 200, body ?? `no spans of trace ${assertion[1]}`);
      return true;
    }
    const place = /^\/viewer\/trace\/([0-9a-f]{32})\/place\/([0-9a-f]{16})$/.exec(path);
    if (place?.[1] && place[2]) {
      const found = placeOfSpan(await source.trace(place[1]), place[2]);
      json(res, found ? 200 : 404, found ?? { error: `no span ${place[2]} in trace ${place[1]}` });
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
