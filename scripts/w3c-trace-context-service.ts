/**
 * The test service the W3C Trace Context suite drives (https://github.com/w3c/trace-context,
 * test/README.md), built only on flowtrace's documented server API: the HTTP middleware continues
 * the harness's context, and a traced fetch makes each callback it asks for. Run by
 * scripts/w3c-trace-context.sh; listens on W3C_SERVICE_PORT (default 4750).
 */
import { createServer, type IncomingMessage } from 'node:http';
import { createHttpMiddleware, createServerTracing, createTracedFetch } from '../server/index.ts';

interface Action {
  url: string;
  arguments?: unknown;
}

const tracing = createServerTracing({ serviceName: 'w3c-trace-context', store: false, sampleRatio: 1 });
const traced = createHttpMiddleware(tracing);
const tracedFetch = createTracedFetch({ tracer: tracing.tracer });

// Reads the body by awaiting it, not through 'data' listeners: an await keeps the request's
// context, an event listener runs in whatever context emits the event.
async function handle(req: IncomingMessage): Promise<void> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  const parsed = JSON.parse(body || '[]') as Action | Action[];
  for (const action of Array.isArray(parsed) ? parsed : [parsed]) {
    const response = await tracedFetch(action.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(action.arguments ?? []),
    });
    await response.arrayBuffer();
  }
}

const server = createServer((req, res) =>
  traced(req, res, () => {
    handle(req).then(
      () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
      (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error)),
    );
  }),
);
const port = Number(process.env.W3C_SERVICE_PORT ?? 4750);
server.listen(port, '127.0.0.1', () => console.log(`w3c test service on http://127.0.0.1:${port}/test`));
process.once('SIGTERM', () => {
  server.close();
  void tracing.shutdown(1000).then(() => process.exit(0));
});
