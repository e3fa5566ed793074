import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { flowtrace } from './vite/index.ts';

// The demo server the dev server forwards API and ingest requests to.
const api = `http://127.0.0.1:${process.env.FLOWTRACE_API_PORT ?? 3000}`;

/** The demo's pages: the app, the room, and pages for the SDK's own e2e tests and benches. */
export const demoPages = {
  main: fileURLToPath(new URL('demo/index.html', import.meta.url)),
  harness: fileURLToPath(new URL('demo/sdk-harness.html', import.meta.url)),
  blank: fileURLToPath(new URL('demo/bench-blank.html', import.meta.url)),
  // A room where participants join and call each other (WebSocket signalling, WebRTC).
  room: fileURLToPath(new URL('demo/room.html', import.meta.url)),
};

// Builds the SimplyCaster demo page (demo/) into dist/demo; the demo server serves it.
export default defineConfig({
  root: 'demo',
  plugins: [flowtrace()],
  build: {
    outDir: '../dist/demo',
    emptyOutDir: true,
    rollupOptions: { input: demoPages },
  },
  server: { proxy: { '/api': api, '/flowtrace': api } },
});
