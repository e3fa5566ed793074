/**
 * The demo as flowtrace's e2e tests and benches run it (`node dist/server/e2e-server.js`, built
 * by `npm run build`): the demo server plus what only tests need, none of it in the demo itself:
 * the SDK harness pages (FLOWTRACE_HARNESS_DIR, default dist/harness), the fault-injecting
 * upload sink (`/api/uploads`) and the `/ws/echo` channel. FLOWTRACE_STATIC_DIR defaults to the
 * demo's test build (dist/demo-e2e), which accepts the testing fixture's test id.
 */
import { startDemo } from '../../demo/server/start.ts';
import { handleUpload } from './upload-sink.ts';
import { createEchoSocket } from './ws-echo.ts';

process.env.FLOWTRACE_STATIC_DIR ??= 'dist/demo-e2e';

await startDemo((tracing) => ({
  staticDirs: [process.env.FLOWTRACE_HARNESS_DIR ?? 'dist/harness'],
  upgrade: createEchoSocket(tracing),
  routes: (router) =>
    router
      // A media-less sink for faults the recordings API never produces (5xx, then recovery).
      .on('POST', '/api/uploads/:recording/chunks/:seq', ({ req, res }) => handleUpload(req, res, req.url!.split('?')[0]!))
      .on('GET', '/api/uploads/:recording', ({ req, res }) => handleUpload(req, res, req.url!.split('?')[0]!)),
}));
