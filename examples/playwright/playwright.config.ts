import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from 'flowtrace/testing';

// The vite-app example (built into ../vite-app/dist) served with its API by the node-http example.
const port = Number(process.env.PORT ?? 3000);

export default defineConfig({
  testDir: '.',
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: 'list',
  use: { baseURL: `http://127.0.0.1:${port}`, launchOptions: chromiumLaunchOptions() },
  webServer: {
    command: 'node ../node-http/server.mjs',
    url: `http://127.0.0.1:${port}/healthz`,
    env: { PORT: String(port), STATIC_DIR: '../vite-app/dist' },
    reuseExistingServer: false,
    timeout: 120_000,
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
  },
});
