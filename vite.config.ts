import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { flowtrace } from './vite/index.ts';

// The demo server the dev server forwards API and ingest requests to.
const api = `http://127.0.0.1:${process.env.FLOWTRACE_API_PORT ?? 3000}`;

/**
 * `flowtrace/*` by name resolves to the sources in this repo (as tsconfig.json's `paths` does for
 * tsc, tsx and Playwright): the package's exports map points at the built lib/ that `npm pack` ships.
 */
export const sourceAliases = [
  ['client', 'client/index.ts'],
  ['server', 'server/index.ts'],
  ['server/advanced', 'server/advanced.ts'],
  ['testing', 'testing/index.ts'],
  ['vite', 'vite/index.ts'],
].map(([entry, file]) => ({
  // Exact: 'flowtrace/server' must not also catch 'flowtrace/server/advanced'.
  find: new RegExp(`^flowtrace/${entry}$`),
  replacement: fileURLToPath(new URL(file!, import.meta.url)),
}));

/** The demo's pages: the app, and a room where participants join and call each other. */
export const demoPages = {
  main: fileURLToPath(new URL('demo/index.html', import.meta.url)),
  room: fileURLToPath(new URL('demo/room.html', import.meta.url)),
};

// Builds the SimplyCaster demo (demo/) into dist/demo; the demo server serves it. `--mode e2e`
// builds the same pages into dist/demo-e2e with the testing fixture's hooks on, for the e2e tests.
export default defineConfig(({ mode }) => ({
  root: 'demo',
  plugins: [flowtrace()],
  resolve: { alias: sourceAliases },
  build: {
    outDir: mode === 'e2e' ? '../dist/demo-e2e' : '../dist/demo',
    emptyOutDir: true,
    rollupOptions: { input: demoPages },
  },
  server: { proxy: { '/api': api, '/flowtrace': api } },
}));
