import { defineConfig } from 'vite';
import { sourceAliases } from './vite.config.ts';

// Bundles the demo server (demo/server/main.ts) into dist/server/main.js for plain `node`, and
// the e2e server (e2e/harness/server.ts: the demo plus test-only routes) into
// dist/server/e2e-server.js: dependencies stay in node_modules, our TypeScript is compiled ahead of time.
export default defineConfig({
  resolve: { alias: sourceAliases },
  build: {
    ssr: true,
    outDir: 'dist/server',
    emptyOutDir: true,
    target: 'node20',
    rollupOptions: {
      input: { main: 'demo/server/main.ts', 'e2e-server': 'e2e/harness/server.ts' },
      output: { entryFileNames: '[name].js' },
    },
  },
  logLevel: 'warn',
});
