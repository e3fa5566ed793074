/**
 * The demo's HTTP app: flowtrace's endpoints, then the tracing middleware, then the routes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createFlowtraceEndpoints, createHttpMiddleware, setHttpRoute, type ServerTracing } from 'flowtrace/server';
import type { Database } from './database.ts';
import { sendJson } from './json.ts';
import { createRoom, listRooms } from './rooms.ts';
import { createStaticHandler } from './static-files.ts';
import { handleUpload, uploadsRoute } from './uploads.ts';

type Handler = (db: Database, req: IncomingMessage, res: ServerResponse) => Promise<void>;

const ROUTES: Record<string, Handler> = {
  'POST /api/rooms': createRoom,
  'GET /api/rooms': listRooms,
};

export function createApp({ db, tracing, staticDir }: { db: Database; tracing: ServerTracing; staticDir: string }) {
  const endpoints = createFlowtraceEndpoints(tracing);
  const traced = createHttpMiddleware(tracing, { ignore: (req) => req.url === '/healthz' || !req.url?.startsWith('/api/') });
  const serveStatic = createStaticHandler(staticDir);

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/healthz') return sendJson(res, 200, { ok: true, database: db.engine });
    const key = `${req.method} ${path}`;
    const handler = ROUTES[key];
    if (handler) {
      setHttpRoute(req, path);
      return handler(db, req, res);
    }
    const uploads = uploadsRoute(req.method, path);
    if (uploads) {
      setHttpRoute(req, uploads);
      return handleUpload(req, res, path);
    }
    if (path.startsWith('/api/')) return sendJson(res, 404, { error: `no route ${key}` });
    return serveStatic(req, res);
  }

  return function demoApp(req: IncomingMessage, res: ServerResponse): void {
    endpoints(req, res, () =>
      traced(req, res, () => {
        route(req, res).catch((error: unknown) => {
          console.error('request failed', error);
          if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
          else res.destroy();
        });
      }),
    );
  };
}
