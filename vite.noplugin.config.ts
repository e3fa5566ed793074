import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { harnessPages } from './vite.harness.config.ts';
import { sourceAliases } from './vite.config.ts';

// The SDK harness pages built WITHOUT the flowtrace plugin (Vite's default target, native
// async/await), into dist/harness-noplugin: the e2e tests check that the SDK's fallback never
// mis-parents there.
export default defineConfig({
  root: fileURLToPath(new URL('e2e/harness', import.meta.url)),
  resolve: { alias: sourceAliases },
  build: {
    outDir: fileURLToPath(new URL('dist/harness-noplugin', import.meta.url)),
    emptyOutDir: true,
    rollupOptions: { input: harnessPages },
  },
  logLevel: 'warn',
});
