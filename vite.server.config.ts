import { defineConfig } from 'vite';
import { sourceAliases } from './vite.config.ts';

// Bundles the demo server (demo/server/main.ts) into dist/server/main.js for plain `node`:
// dependencies stay in node_modules, our TypeScript is compiled ahead of time.
export default defineConfig({
  resolve: { alias: sourceAliases },
  build: {
    ssr: 'demo/server/main.ts',
    outDir: 'dist/server',
    emptyOutDir: true,
    target: 'node20',
    rollupOptions: { output: { entryFileNames: 'main.js' } },
  },
  logLevel: 'warn',
});
