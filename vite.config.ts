import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { flowtrace } from './vite/index.ts';

// Builds the SimplyCaster demo page (demo/) into dist/demo; the demo server serves it.
export default defineConfig({
  root: 'demo',
  plugins: [flowtrace()],
  build: {
    outDir: '../dist/demo',
    emptyOutDir: true,
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('demo/index.html', import.meta.url)),
        // A blank page with the SDK on window, for the SDK's own e2e tests.
        harness: fileURLToPath(new URL('demo/sdk-harness.html', import.meta.url)),
        // A room where participants join and call each other (WebSocket signalling, WebRTC).
        room: fileURLToPath(new URL('demo/room.html', import.meta.url)),
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/flowtrace': 'http://127.0.0.1:3000' } },
});
