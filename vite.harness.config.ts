import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { sourceAliases } from './vite.config.ts';
import { flowtrace } from './vite/index.ts';

// The demo server the dev server forwards API and ingest requests to.
const api = `http://127.0.0.1:${process.env.FLOWTRACE_API_PORT ?? 3000}`;

/** The SDK's test pages (e2e/harness/), served by the e2e server beside the demo, never by the demo. */
export const harnessPages = {
  harness: fileURLToPath(new URL('e2e/harness/sdk-harness.html', import.meta.url)),
  // No SDK at all: the untraced baseline of bench/client-fetch-overhead.bench.ts.
  blank: fileURLToPath(new URL('e2e/harness/bench-blank.html', import.meta.url)),
};

// Builds the harness pages with the flowtrace plugin into dist/harness; as a dev server
// (e2e-dev-server project) it serves them and forwards the API to the e2e server.
export default defineConfig({
  root: fileURLToPath(new URL('e2e/harness', import.meta.url)),
  plugins: [flowtrace()],
  resolve: { alias: sourceAliases },
  build: {
    outDir: fileURLToPath(new URL('dist/harness', import.meta.url)),
    emptyOutDir: true,
    rollupOptions: { input: harnessPages },
  },
  server: { proxy: { '/api': api, '/flowtrace': api } },
  logLevel: 'warn',
});
