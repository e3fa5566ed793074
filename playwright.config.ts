import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { STACK_PORTS, url } from './e2e/jaeger/ports.ts';
import { chromiumLaunchOptions } from './testing/chromium.ts';
import type { FlowtraceOptions } from './testing/fixture.ts';

/**
 * One runner for everything: `unit` runs the *.test.ts files beside the code (no browser);
 * `e2e-pglite` and `e2e-postgres` run e2e/ in Chromium against the demo on each database.
 * The PostgreSQL project runs when DATABASE_URL is set and reports its tests skipped otherwise.
 * `e2e-jaeger` runs e2e/jaeger/ against two demo instances behind a balancer, exporting to a real
 * Jaeger v2, and reads traces from Jaeger (e2e/jaeger/stack.ts; skipped, saying why, without Go's
 * Jaeger build or PostgreSQL).
 */
// FLOWTRACE_E2E_PORT moves both demo servers, so two checkouts can run their suites side by side.
const PGLITE_PORT = Number(process.env.FLOWTRACE_E2E_PORT ?? 4310);
const POSTGRES_PORT = PGLITE_PORT + 1;
// The SDK harness pages built without the flowtrace Vite plugin, and served by the Vite dev server
// (API on PGLITE_PORT): the SDK's `await` tests run against both (e2e/await-no-plugin.spec.ts, e2e/await-dev-server.spec.ts).
const NO_PLUGIN_PORT = PGLITE_PORT + 2;
const DEV_SERVER_PORT = PGLITE_PORT + 3;
const PER_BUILD_SPECS = /await-(no-plugin|dev-server)\.spec\.ts$/;
// Specs of a library component or of the demo's start, not of a database: they run once, on PGlite.
const DATABASE_FREE_SPECS =
  /(ingest-limits|viewer-access|client-flows|client-sdk|ws-client|ws-server-bad-input|webrtc-call|demo-start|client-flow-timeout|viewer-[a-z-]+)\.spec\.ts$/;
const JAEGER_SPECS = /\/jaeger\//;
const databaseUrl = process.env.DATABASE_URL;

// Fake camera and microphone, granted, and WebRTC between two local pages: the demo records and calls.
const browserUse = {
  launchOptions: chromiumLaunchOptions({ media: true }),
  permissions: ['camera', 'microphone'],
};

function demoServer(port: number, env: Record<string, string>) {
  return {
    // The bundled demo server (`npm run build`) with the test harness beside it: e2e/harness/server.ts
    // serves the demo's test build (dist/demo-e2e), the SDK harness pages, /api/uploads and /ws/echo.
    command: 'node dist/server/e2e-server.js',
    url: `http://127.0.0.1:${port}/healthz`,
    env: { PORT: String(port), FLOWTRACE_MEDIA_DIR: join(tmpdir(), `flowtrace-e2e-media-${port}`), ...env },
    // Never reuse: a server left running from another checkout would serve other code.
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe' as const,
    gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 5_000 },
  };
}

export default defineConfig<FlowtraceOptions>({
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: process.env.CI ? 2 : undefined,
  fullyParallel: true,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  timeout: 30_000,
  webServer: [
    demoServer(PGLITE_PORT, { FLOWTRACE_DATA_DIR: 'memory://', DATABASE_URL: '' }),
    demoServer(NO_PLUGIN_PORT, { FLOWTRACE_DATA_DIR: 'memory://', DATABASE_URL: '', FLOWTRACE_HARNESS_DIR: 'dist/harness-noplugin' }),
    {
      command: `npx vite --config vite.harness.config.ts --host 127.0.0.1 --port ${DEV_SERVER_PORT} --strictPort`,
      url: `http://127.0.0.1:${DEV_SERVER_PORT}/sdk-harness.html`,
      env: { FLOWTRACE_API_PORT: String(PGLITE_PORT) },
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe' as const,
      gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 5_000 },
    },
    ...(databaseUrl ? [demoServer(POSTGRES_PORT, { DATABASE_URL: databaseUrl })] : []),
    {
      // Idle until the jaeger-stack project asks it to start Jaeger, the instances and the balancer.
      command: 'npx tsx e2e/jaeger/stack.ts',
      url: `${url(STACK_PORTS.control)}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe' as const,
      gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 10_000 },
    },
  ],
  projects: [
    {
      name: 'unit',
      testDir: '.',
      testMatch: /^(?!.*node_modules).*\/(client|otlp|server|shared|testing|vite|bench|scripts)\/.*\.test\.ts$/,
    },
    {
      name: 'e2e-pglite',
      testDir: 'e2e',
      testIgnore: [PER_BUILD_SPECS, JAEGER_SPECS],
      use: { baseURL: `http://127.0.0.1:${PGLITE_PORT}`, ...browserUse },
    },
    {
      name: 'e2e-postgres',
      testDir: 'e2e',
      testIgnore: [PER_BUILD_SPECS, DATABASE_FREE_SPECS, JAEGER_SPECS],
      use: { baseURL: `http://127.0.0.1:${POSTGRES_PORT}`, ...browserUse },
    },
    { name: 'jaeger-stack', testDir: 'e2e/jaeger', testMatch: /stack\.setup\.ts$/, teardown: 'jaeger-stack-teardown' },
    { name: 'jaeger-stack-teardown', testDir: 'e2e/jaeger', testMatch: /stack\.teardown\.ts$/ },
    {
      name: 'e2e-jaeger',
      testDir: 'e2e/jaeger',
      dependencies: ['jaeger-stack'],
      // One at a time: the outage spec stops the Jaeger every spec reads from.
      workers: 1,
      use: {
        baseURL: url(STACK_PORTS.balancer),
        traceSource: { jaeger: url(STACK_PORTS.queryHttp), instances: STACK_PORTS.instances.map(url) },
        ...browserUse,
      },
    },
    {
      name: 'e2e-no-plugin',
      testDir: 'e2e',
      testMatch: /await-no-plugin\.spec\.ts$/,
      use: { baseURL: `http://127.0.0.1:${NO_PLUGIN_PORT}`, ...browserUse },
    },
    {
      name: 'e2e-dev-server',
      testDir: 'e2e',
      testMatch: /await-dev-server\.spec\.ts$/,
      use: { baseURL: `http://127.0.0.1:${DEV_SERVER_PORT}`, ...browserUse },
    },
  ],
});
