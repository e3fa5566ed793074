// A node:http server traced by flowtrace: plain `node server.mjs`, no tsx, no loader flags.
// PORT (default 3000); DATABASE_URL selects PostgreSQL through pg, else embedded PGlite;
// STATIC_DIR serves a built app (the vite-app example) from the same origin.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
// #region readme-server
import {
  createFlowtraceEndpoints,
  createHttpMiddleware,
  createServerTracing,
  installShutdownHooks,
  setHttpRoute,
  traceDatabase,
} from 'flowtrace/server';

const tracing = createServerTracing({ serviceName: 'notes-api' });
const endpoints = createFlowtraceEndpoints(tracing); // OTLP ingest, trace API, viewer under /flowtrace
const traced = createHttpMiddleware(tracing); // one SERVER span per request
const db = traceDatabase(tracing, await openDatabase()); // a pg.Pool or a PGlite instance

const server = createServer((req, res) => endpoints(req, res, () => traced(req, res, () => app(req, res))));
installShutdownHooks(tracing, { servers: [server], beforeFlush: () => db.close?.() ?? db.end?.() });
// #endregion readme-server

async function openDatabase() {
  if (process.env.DATABASE_URL) {
    const { default: pg } = await import('pg');
    return new pg.Pool({ connectionString: process.env.DATABASE_URL });
  }
  const { PGlite } = await import('@electric-sql/pglite');
  return PGlite.create();
}

await db.query('CREATE TABLE IF NOT EXISTS flowtrace_example_notes (id serial PRIMARY KEY, text text NOT NULL)');

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };

async function app(req, res) {
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  try {
    if (pathname === '/healthz') return send(res, 200, { ok: true });
    if (pathname === '/api/notes' && req.method === 'POST') {
      setHttpRoute(req, '/api/notes');
      const { rows } = await db.query('INSERT INTO flowtrace_example_notes (text) VALUES ($1) RETURNING id', ['hello']);
      return send(res, 201, { id: rows[0].id });
    }
    if (process.env.STATIC_DIR && req.method === 'GET') {
      const file = join(process.env.STATIC_DIR, normalize(pathname === '/' ? '/index.html' : pathname));
      const body = await readFile(file).catch(() => undefined);
      if (body) return res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    }
    send(res, 404, { error: `no route ${req.method} ${pathname}` });
  } catch (error) {
    console.error(error);
    send(res, 500, { error: 'failed' });
  }
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

const port = Number(process.env.PORT ?? 3000);
server.listen(port, '127.0.0.1', () => console.log(`node-http example on http://127.0.0.1:${port}`));
