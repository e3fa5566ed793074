/**
 * Starts the SimplyCaster demo server. `main.ts` runs it as it is; flowtrace's own e2e tests run
 * it with extras (harness pages, a fault-injecting sink, an echo socket: e2e/harness/server.ts),
 * so nothing that only tests need is part of the demo.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { createServerTracing, type ServerTracing } from 'flowtrace/server';
import { createApp } from './app.ts';
import { openDatabase } from './database.ts';
import { MediaStore } from './media-store.ts';
import type { Router } from './router.ts';
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

/**
 * Starts the demo from the environment: PORT (3000), HOST (127.0.0.1), DATABASE_URL (else
 * PGlite), FLOWTRACE_STATIC_DIR (dist/demo), FLOWTRACE_MEDIA_DIR, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT.
 */
export async function startDemo(extras: (tracing: ServerTracing) => DemoExtras = () => ({})): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  const staticDir = resolve(process.env.FLOWTRACE_STATIC_DIR ?? 'dist/demo');

  // OpenTelemetry's standard variable: set it to forward spans to a Collector as well.
  const collector = process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const tracing = createServerTracing({
    serviceName: 'simplycaster-api',
    ...(collector ? { exporter: new OTLPTraceExporter({ url: collector }) } : {}),
  });
  const extra = extras(tracing);
  const db = await openDatabase();
  const media = new MediaStore(process.env.FLOWTRACE_MEDIA_DIR || '.flowtrace/media');
  const jobs = new Set<Promise<void>>();
  const signalling = createSignalling({ tracing, db });
  const staticDirs = [...(extra.staticDirs ?? []).map((dir) => resolve(dir)), staticDir];
  const server = createServer(createApp({ db, tracing, media, staticDirs, jobs, room: signalling, routes: extra.routes }));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!extra.upgrade?.(req, socket, head)) signalling.handleUpgrade(req, socket, head);
  });

  server.listen(port, host, () => {
    console.log(`SimplyCaster demo on http://localhost:${port} (database: ${db.engine}, traces at /flowtrace/api/traces)`);
  });

  let stopping = false;
  async function stop(signal: string): Promise<void> {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    signalling.close();
    server.closeAllConnections();
    await new Promise<void>((closed) => server.close(() => closed()));
    await Promise.allSettled(jobs);
    await tracing.shutdown();
    await db.close();
    process.exit(0);
  }
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
