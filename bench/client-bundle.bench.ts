/**
 * client.bundle.gzip_bytes: the browser SDK as an app ships it: an entry that imports
 * `flowtrace/client` and calls createClientTracing, built by Vite with the flowtrace plugin (es2016),
 * minified; the initial chunk(s), zone.js included, gzip -9. The WebRTC and recording
 * instrumentation load lazily: client.webrtc.gzip_bytes and client.recording.gzip_bytes.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { flowtrace } from '../vite/index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, 'bench/.tmp/client-bundle');

const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

export default async function clientBundle(): Promise<Record<string, number>> {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const entry = join(work, 'entry.ts');
  writeFileSync(
    entry,
    "import { createClientTracing, runFlow } from 'flowtrace/client';\n" +
      "createClientTracing({ webrtc: true, recording: true });\n" +
      "document.body.addEventListener('click', () => runFlow('bench.click', () => fetch('/')));\n",
  );
  writeFileSync(join(work, 'index.html'), '<!doctype html><script type="module" src="./entry.ts"></script>\n');
  // An app build, as `vite build` makes it for a page: production mode, minified, browser conditions.
  await build({
    configFile: false,
    logLevel: 'warn',
    root: work,
    plugins: [flowtrace()],
    build: {
      outDir: join(work, 'dist'),
      rollupOptions: { output: { entryFileNames: '[name].js', chunkFileNames: '[name].js' } },
    },
  });
  const files = readdirSync(join(work, 'dist')).filter((file) => file.endsWith('.js'));
  const lazy = (prefix: string) => files.filter((file) => file.startsWith(prefix));
  const sum = (list: string[]) => list.reduce((total, file) => total + gz(join(work, 'dist', file)), 0);
  const webrtc = lazy('webrtc');
  const recording = lazy('recording');
  const initial = files.filter((file) => !webrtc.includes(file) && !recording.includes(file));
  if (webrtc.length === 0 || recording.length === 0) throw new Error(`lazy chunks missing: ${files.join(', ')}`);
  return {
    'client.bundle.gzip_bytes': sum(initial),
    'client.webrtc.gzip_bytes': sum(webrtc),
    'client.recording.gzip_bytes': sum(recording),
  };
}
