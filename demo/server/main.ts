/**
 * Starts the SimplyCaster demo: `npm start` serves it on embedded PGlite at http://localhost:3000;
 * DATABASE_URL selects PostgreSQL; PORT picks the port.
 */
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { createServerTracing } from 'flowtrace/server';
import { createApp } from './app.ts';
import { openDatabase } from './database.ts';
import { MediaStore } from './media-store.ts';
import { createSignalling } from './signalling.ts';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const staticDir = resolve(process.env.FLOWTRACE_STATIC_DIR ?? 'dist/demo');

// OpenTelemetry's standard variable: set it to export the server's spans and forward the
// browser's to a Collector as well (OTLP/HTTP protobuf, flowtrace's exporter).
const collector = process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
const tracing = createServerTracing({
  serviceName: 'simplycaster-api',
  ...(collector ? { export: { url: collector } } : {}),
});
const db = await openDatabase();
const media = new MediaStore(process.env.FLOWTRACE_MEDIA_DIR || '.flowtrace/media');
const jobs = new Set<Promise<void>>();
const signalling = createSignalling({ tracing, db });
const server = createServer(createApp({ db, tracing, media, staticDir, jobs, room: signalling }));
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
  server.closeAllConnections();
  await new Promise<void>((closed) => server.close(() => closed()));
  await Promise.allSettled(jobs);
  await tracing.shutdown();
  await db.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
