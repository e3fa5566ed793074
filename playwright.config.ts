import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './testing/chromium.ts';

/**
 * One runner for everything: `unit` runs the *.test.ts files beside the code (no browser);
 * `e2e-pglite` and `e2e-postgres` run e2e/ in Chromium against the demo on each database.
 * The PostgreSQL project runs when DATABASE_URL is set and reports its tests skipped otherwise.
 */
// FLOWTRACE_E2E_PORT moves both demo servers, so two checkouts can run their suites side by side.
const PGLITE_PORT = Number(process.env.FLOWTRACE_E2E_PORT ?? 4310);
const POSTGRES_PORT = PGLITE_PORT + 1;
// The demo built without the flowtrace Vite plugin, and the Vite dev server (API on PGLITE_PORT):
// the SDK's `await` tests run against both (e2e/await-no-plugin.spec.ts, e2e/await-dev-server.spec.ts).
const NO_PLUGIN_PORT = PGLITE_PORT + 2;
const DEV_SERVER_PORT = PGLITE_PORT + 3;
const PER_BUILD_SPECS = /await-(no-plugin|dev-server)\.spec\.ts$/;
const databaseUrl = process.env.DATABASE_URL;

// Fake camera and microphone, granted, and WebRTC between two local pages: the demo records and calls.
const browserUse = {
  launchOptions: chromiumLaunchOptions({ media: true }),
  permissions: ['camera', 'microphone'],
};

function demoServer(port: number, env: Record<string, string>) {
  return {
    // The bundled demo server (`npm run build`), as `npm start` runs it.
    command: 'node dist/server/main.js',
    url: `http://127.0.0.1:${port}/healthz`,
    env: { PORT: String(port), FLOWTRACE_MEDIA_DIR: join(tmpdir(), `flowtrace-e2e-media-${port}`), ...env },
    // Never reuse: a server left running from another checkout would serve other code.
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe' as const,
    gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 5_000 },
  };
}

export default defineConfig({
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: process.env.CI ? 2 : undefined,
  fullyParallel: true,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  timeout: 30_000,
  webServer: [
    demoServer(PGLITE_PORT, { FLOWTRACE_DATA_DIR: 'memory://', DATABASE_URL: '' }),
    demoServer(NO_PLUGIN_PORT, { FLOWTRACE_DATA_DIR: 'memory://', DATABASE_URL: '', FLOWTRACE_STATIC_DIR: 'dist/demo-noplugin' }),
    {
      command: `npx vite --config vite.config.ts --host 127.0.0.1 --port ${DEV_SERVER_PORT} --strictPort`,
      url: `http://127.0.0.1:${DEV_SERVER_PORT}/sdk-harness.html`,
      env: { FLOWTRACE_API_PORT: String(PGLITE_PORT) },
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe' as const,
      gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 5_000 },
    },
    ...(databaseUrl ? [demoServer(POSTGRES_PORT, { DATABASE_URL: databaseUrl })] : []),
  ],
  projects: [
    {
      name: 'unit',
      testDir: '.',
      testMatch: /^(?!.*node_modules).*\/(client|otlp|server|shared|testing|vite|bench)\/.*\.test\.ts$/,
    },
    {
      name: 'e2e-pglite',
      testDir: 'e2e',
      testIgnore: PER_BUILD_SPECS,
      use: { baseURL: `http://127.0.0.1:${PGLITE_PORT}`, ...browserUse },
    },
    {
      name: 'e2e-postgres',
      testDir: 'e2e',
      testIgnore: PER_BUILD_SPECS,
      use: { baseURL: `http://127.0.0.1:${POSTGRES_PORT}`, ...browserUse },
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
