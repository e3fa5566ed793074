/**
 * Starts the SimplyCaster demo: `npm start` serves it on embedded PGlite at http://localhost:3000;
 * DATABASE_URL selects PostgreSQL; PORT picks the port.
 *
 * As one of several instances behind a balancer (docs/deploying.md): OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
 * sends spans to the team's backend (FLOWTRACE_EXPORT_QUEUE_SIZE caps its queue), FLOWTRACE_STORE=off
 * keeps none in the process, FLOWTRACE_JAEGER_QUERY_URL points the viewer at Jaeger's query service, and
 * SIMPLYCASTER_ROOM_BUS=postgres joins the signalling of every instance on the shared PostgreSQL.
 */
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { createServerTracing } from 'flowtrace/server';
import { createApp } from './app.ts';
import { openDatabase } from './database.ts';
import { MediaStore } from './media-store.ts';
import { openRoomBus } from './room-bus.ts';
import { createSignalling } from './signalling.ts';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const staticDir = resolve(process.env.FLOWTRACE_STATIC_DIR ?? 'dist/demo');

// OpenTelemetry's standard variable: set it to forward spans to a Collector as well.
const collector = process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
const tracing = createServerTracing({
  serviceName: 'simplycaster-api',
  ...(collector ? { exporter: new OTLPTraceExporter({ url: collector }) } : {}),
  ...(process.env.FLOWTRACE_STORE === 'off' ? { store: false as const } : {}),
  ...(process.env.FLOWTRACE_EXPORT_QUEUE_SIZE ? { exportQueue: { maxQueueSize: Number(process.env.FLOWTRACE_EXPORT_QUEUE_SIZE) } } : {}),
});
const db = await openDatabase();
const media = new MediaStore(process.env.FLOWTRACE_MEDIA_DIR || '.flowtrace/media');
const jobs = new Set<Promise<void>>();
const bus = process.env.SIMPLYCASTER_ROOM_BUS === 'postgres' ? await openRoomBus(db, tracing) : undefined;
const signalling = createSignalling({ tracing, db, ...(bus ? { bus } : {}) });
const jaeger = process.env.FLOWTRACE_JAEGER_QUERY_URL;
const server = createServer(createApp({ db, tracing, media, staticDir, jobs, room: signalling, ...(jaeger ? { traceSource: { jaeger } } : {}) }));
server.on('upgrade', signalling.handleUpgrade);

server.listen(port, host, () => {
  console.log(`SimplyCaster demo on http://localhost:${port} (database: ${db.engine}, traces at /flowtrace/api/traces)`);
});

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down`);
  signalling.close();
  await bus?.close();
  server.closeAllConnections();
  await new Promise<void>((closed) => server.close(() => closed()));
  await Promise.allSettled(jobs);
  await tracing.shutdown();
  await db.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
