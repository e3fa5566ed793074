// Express 5 traced by flowtrace: the middleware names each span after its route, and the error
// handler records a thrown error on the request's span. PORT (default 3000).
import express from 'express';
// #region readme-express
import { createFlowtraceEndpoints, createHttpMiddleware, createServerTracing, flowtraceErrorHandler } from 'flowtrace/server';

const tracing = createServerTracing({ serviceName: 'notes-express' });
const app = express();
app.use(createFlowtraceEndpoints(tracing));
app.use(createHttpMiddleware(tracing)); // spans are named after the route: GET /api/notes/:id
app.get('/api/notes/:id', (req, res) => res.json({ id: req.params.id }));
app.get('/api/fail', () => {
  throw new Error('this route always fails');
});
app.use(flowtraceErrorHandler); // after the routes: records the error on the request's span
// #endregion readme-express

app.get('/healthz', (_req, res) => res.json({ ok: true }));
// Express's own error handler answers 500 after flowtraceErrorHandler passed the error on.
const port = Number(process.env.PORT ?? 3000);
const server = app.listen(port, '127.0.0.1', () => console.log(`express example on http://127.0.0.1:${port}`));
process.on('SIGTERM', () => server.close(() => tracing.shutdown().then(() => process.exit(0))));
