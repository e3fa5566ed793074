/**
 * Starts the SimplyCaster demo server. `main.ts` runs it as it is; flowtrace's own e2e tests run
 * it with extras (harness pages, a fault-injecting sink, an echo socket: e2e/harness/server.ts),
 * so nothing that only tests need is part of the demo.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { createServerTracing, installShutdownHooks, type ServerTracing } from 'flowtrace/server';
import { createApp } from './app.ts';
import { openDatabase } from './database.ts';
import { MediaStore } from './media-store.ts';
import type { Router } from './router.ts';
import { openRoomBus } from './room-bus.ts';
import { createSignalling } from './signalling.ts';

/** What a test server adds to the demo. */
export interface DemoExtras {
  /** Adds routes, tried before the demo's own. */
  routes?: (router: Router) => void;
  /** Handles a WebSocket upgrade the demo does not serve; returns `false` to leave it to the demo. */
  upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean;
  /** Folders of pages served before the demo's own. */
  staticDirs?: string[];
}

/** Binds the port, or prints one line saying which port is taken and how to pick another, and exits 1. */
async function bind(server: Server, port: number, host: string): Promise<void> {
  try {
    await new Promise<void>((listening, failed) => {
      server.once('error', failed);
      server.listen(port, host, () => {
        server.off('error', failed);
        listening();
      });
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? 'is in use' : `cannot be opened (${code ?? (error as Error).message})`;
    console.error(`SimplyCaster: port ${port} on ${host} ${why}; stop what is using it, or choose another with PORT=<port> (e.g. PORT=3001 npm start).`);
    process.exit(1);
  }
}

/**
 * Starts the demo from the environment: PORT (3000), HOST (127.0.0.1), DATABASE_URL (else
 * PGlite), FLOWTRACE_STATIC_DIR (dist/demo), FLOWTRACE_MEDIA_DIR, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT.
 *
 * As one of several instances behind a balancer (docs/deploying.md): OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
 * sends spans to the team's backend (FLOWTRACE_EXPORT_QUEUE_SIZE caps its queue), FLOWTRACE_STORE=off
 * keeps none in the process, FLOWTRACE_JAEGER_QUERY_URL points the viewer at Jaeger's query service, and
 * SIMPLYCASTER_ROOM_BUS=postgres joins the signalling of every instance on the shared PostgreSQL.
 * The port is bound before the database opens: a second instance on a busy port must not open
 * the first one's PGlite data folder. Until the database is open, requests get 503.
 */
export async function startDemo(extras: (tracing: ServerTracing) => DemoExtras = () => ({})): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  const staticDir = resolve(process.env.FLOWTRACE_STATIC_DIR ?? 'dist/demo');

  let app: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => {
    if (app) return app(req, res);
    res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' }).end('starting');
  });
  await bind(server, port, host);

  // OpenTelemetry's standard variable: set it to export the server's spans and forward the
  // browser's to a Collector as well (OTLP/HTTP protobuf, flowtrace's exporter).
  const collector = process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const tracing = createServerTracing({
    serviceName: 'simplycaster-api',
    ...(collector ? { export: { url: collector } } : {}),
    ...(process.env.FLOWTRACE_STORE === 'off' ? { store: false as const } : {}),
    ...(process.env.FLOWTRACE_EXPORT_QUEUE_SIZE ? { exportQueue: { maxQueueSize: Number(process.env.FLOWTRACE_EXPORT_QUEUE_SIZE) } } : {}),
  });
  const extra = extras(tracing);
  const db = await openDatabase(tracing);
  const media = new MediaStore(process.env.FLOWTRACE_MEDIA_DIR || '.flowtrace/media');
  const bus = process.env.SIMPLYCASTER_ROOM_BUS === 'postgres' ? await openRoomBus(db, tracing) : undefined;
  const signalling = createSignalling({ tracing, db, ...(bus ? { bus } : {}) });
  const staticDirs = [...(extra.staticDirs ?? []).map((dir) => resolve(dir)), staticDir];
  const jaeger = process.env.FLOWTRACE_JAEGER_QUERY_URL;
  app = createApp({ db, tracing, media, staticDirs, room: signalling, routes: extra.routes, ...(jaeger ? { traceSource: { jaeger } } : {}) });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!extra.upgrade?.(req, socket, head)) signalling.handleUpgrade(req, socket, head);
  });
  console.log(`SimplyCaster demo on http://localhost:${port} (database: ${db.engine}, traces at /flowtrace/api/traces)`);

  // Upgraded sockets are no longer the HTTP server's to close, so the relay's go first.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      console.log(`${signal}: shutting down`);
      signalling.close();
    });
  }
  // Closes the server, waits for background work (track assembly), closes the database, flushes spans.
  installShutdownHooks(tracing, {
    servers: [server],
    beforeFlush: async () => {
      await bus?.close();
      await db.close();
    },
  });
}
