// flowtrace is ESM only. Node 22.12 and later load an ES module with require() (no top-level
// await in flowtrace keeps that possible), so a CommonJS server uses it as it is.
const assert = require('node:assert/strict');
const { createServer } = require('node:http');
const { createHttpMiddleware, createServerTracing } = require('flowtrace/server');

const tracing = createServerTracing({ serviceName: 'notes-commonjs' });
const traced = createHttpMiddleware(tracing);
const server = createServer((req, res) => traced(req, res, () => res.end('ok')));

server.listen(0, '127.0.0.1', async () => {
  const { port } = server.address();
  const response = await fetch(`http://127.0.0.1:${port}/ping`);
  assert.equal(await response.text(), 'ok');
  await tracing.forceFlush();
  const [summary] = tracing.store.search({ service: 'notes-commonjs' });
  assert.match(summary?.rootName ?? '(no trace)', /^GET/, 'the request was traced');
  server.close();
  await tracing.shutdown();
  console.log(`commonjs: require('flowtrace/server') works on Node ${process.version}`);
});
