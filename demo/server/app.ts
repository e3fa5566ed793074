/**
 * The demo's HTTP app: flowtrace's endpoints, then the tracing middleware, then the routes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createFlowtraceEndpoints, createHttpMiddleware, type JaegerSourceOptions, type ServerTracing } from 'flowtrace/server';
import { authRoutes } from './auth.ts';
import type { Database } from './database.ts';
import { invitationRoutes } from './invitations.ts';
import type { MediaStore } from './media-store.ts';
import { sendJson } from './json.ts';
import { joinRoom } from './participants.ts';
import { recordingListRoute } from './recording-list.ts';
import { recordingRoutes } from './recordings.ts';
import { roomRoutes } from './rooms.ts';
import { Router } from './router.ts';
import type { RoomPresence } from './room-capacity.ts';
import type { RoomBroadcast } from './signalling.ts';
import { createStaticHandler } from './static-files.ts';
import { trackRoutes } from './tracks.ts';

function apiRouter({ db, media, room }: Pick<AppOptions, 'db' | 'media' | 'room'>, router: Router): Router {
  const auth = authRoutes(db);
  const rooms = roomRoutes(db);
  const invitations = invitationRoutes(db);
  const recordings = recordingRoutes(db, room);
  const tracks = trackRoutes(db, media, room);
  return router
    .on('POST', '/api/auth/register', auth.register)
    .on('POST', '/api/auth/login', auth.login)
    .on('POST', '/api/auth/logout', auth.logout)
    .on('GET', '/api/auth/me', auth.me)
    .on('POST', '/api/rooms', rooms.create)
    .on('GET', '/api/rooms', rooms.list)
    .on('POST', '/api/rooms/:id/invitations', invitations.create)
    .on('POST', '/api/invitations/accept', invitations.accept)
    .on('POST', '/api/rooms/:id/participants', ({ req, res, params }) => joinRoom(db, room, req, res, params.id ?? ''))
    .on('POST', '/api/rooms/:id/recordings', recordings.start)
    .on('POST', '/api/recordings/:id/stop', recordings.stop)
    .on('GET', '/api/recordings', recordingListRoute(db))
    .on('POST', '/api/recordings/:id/tracks', tracks.addTrack)
    .on('PUT', '/api/recordings/:id/tracks/:trackId/chunks/:seq', tracks.uploadChunk)
    .on('POST', '/api/recordings/:id/tracks/:trackId/complete', tracks.complete)
    .on('GET', '/api/recordings/:id/tracks/:trackId/file', tracks.download);
}

export interface AppOptions {
  db: Database;
  tracing: ServerTracing;
  media: MediaStore;
  /** Folders of static pages, searched in order; the last one's index.html is the fallback. */
  staticDirs: string[];
  /** The signalling relay: tells everyone connected to a room about recording events, and knows who is in it. */
  room: RoomBroadcast & RoomPresence;
  /** Adds routes ahead of the demo's own (flowtrace's e2e harness does). */
  routes?: ((router: Router) => void) | undefined;
  /** Where the viewer reads traces, on several instances with the store off (Jaeger). */
  traceSource?: JaegerSourceOptions | undefined;
}

export function createApp({ db, tracing, media, staticDirs, room, routes, traceSource }: AppOptions) {
  const endpoints = createFlowtraceEndpoints(tracing, traceSource ? { traceSource } : {});
  const traced = createHttpMiddleware(tracing, {
    ignore: (req) => !req.url?.startsWith('/api/'),
    // Recorded to show redaction at work: credentials among them are recorded as REDACTED.
    captureHeaders: { request: ['user-agent', 'authorization', 'cookie'], response: ['content-type', 'set-cookie'] },
  });
  const serveStatic = createStaticHandler(staticDirs);
  const router = new Router();
  routes?.(router);
  const api = apiRouter({ db, media, room }, router);

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    // The export's counts too: an operator (and the outage spec) sees spans dropped while the backend is away.
    if (path === '/healthz') return sendJson(res, 200, { ok: true, database: db.engine, export: tracing.exportStats() });
    if (await api.handle(req, res, path)) return;
    if (path.startsWith('/api/')) return sendJson(res, 404, { error: `no route ${req.method} ${path}` });
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
