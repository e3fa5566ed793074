// Hono on @hono/node-server traced by flowtrace. flowtrace's endpoints are connect-style, so they
// sit in front of Hono's request listener. PORT (default 3000).
import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
// #region readme-hono
import { createFlowtraceEndpoints, createHonoMiddleware, createServerTracing } from 'flowtrace/server';

const tracing = createServerTracing({ serviceName: 'notes-hono' });
const app = new Hono();
app.use(createHonoMiddleware(tracing)); // spans are named after the route: GET /api/notes/:id
app.get('/api/notes/:id', (c) => c.json({ id: c.req.param('id') }));
// #endregion readme-hono
app.get('/healthz', (c) => c.json({ ok: true }));

const endpoints = createFlowtraceEndpoints(tracing);
const honoListener = getRequestListener(app.fetch);
const server = createServer((req, res) => endpoints(req, res, () => honoListener(req, res)));
const port = Number(process.env.PORT ?? 3000);
server.listen(port, '127.0.0.1', () => console.log(`hono example on http://127.0.0.1:${port}`));
process.on('SIGTERM', () => server.close(() => tracing.shutdown().then(() => process.exit(0))));
