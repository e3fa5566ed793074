/**
 * client.bundle.gzip_bytes: the browser SDK as an app ships it: an entry that imports
 * `flowtrace/client` and calls initFlowtrace, built by Vite with the flowtrace plugin (default
 * mode: the await transform, native async/await), minified; the initial chunk(s), gzip -9. zone.js
 * is a lazy chunk loaded only in zone mode (client.zone.gzip_bytes, checked to be absent from the
 * initial chunks). The WebRTC and recording instrumentation load lazily too:
 * client.webrtc.gzip_bytes and client.recording.gzip_bytes.
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
    "import { initFlowtrace, runFlow } from 'flowtrace/client';\n" +
      "initFlowtrace({ webrtc: true, recording: true });\n" +
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
  const zone = files.filter((file) => readFileSync(join(work, 'dist', file), 'utf8').includes('__zone_symbol__'));
  const initial = files.filter((file) => !webrtc.includes(file) && !recording.includes(file) && !zone.includes(file));
  if (webrtc.length === 0 || recording.length === 0 || zone.length === 0) throw new Error(`lazy chunks missing: ${files.join(', ')}`);
  // The zone chunk must be reached only through a dynamic import.
  const entryCode = readFileSync(join(work, 'dist', 'index.js'), 'utf8');
  for (const file of zone) if (new RegExp(`from\\s*["']\\./${file}`).test(entryCode)) throw new Error(`${file} (zone.js) is in the initial bundle`);
  return {
    'client.bundle.gzip_bytes': sum(initial),
    'client.webrtc.gzip_bytes': sum(webrtc),
    'client.recording.gzip_bytes': sum(recording),
    'client.zone.gzip_bytes': sum(zone),
  };
}
