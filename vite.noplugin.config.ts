import { defineConfig } from 'vite';
import { demoPages, sourceAliases } from './vite.config.ts';

// The same demo built WITHOUT the flowtrace plugin (Vite's default target, native async/await),
// into dist/demo-noplugin: the e2e tests check that the SDK's fallback never mis-parents there.
export default defineConfig({
  root: 'demo',
  resolve: { alias: sourceAliases },
  build: {
    outDir: '../dist/demo-noplugin',
    emptyOutDir: true,
    rollupOptions: { input: demoPages },
  },
  logLevel: 'warn',
});
