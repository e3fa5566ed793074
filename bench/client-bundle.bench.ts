/**
 * client.bundle.gzip_bytes: what a user's build really ships. The vite-app example (an app shell
 * with createClientTracing and clickFlow, built with flowtrace/vite in its default mode: the await
 * transform, native async/await) is installed from the packed tarball outside the repo and built by
 * its own `vite build`; the initial chunk(s), gzip -9. zone.js is a lazy chunk loaded only in zone
 * mode (client.zone.gzip_bytes when the build has one; it must never be in the initial chunks).
 * The WebRTC and recording instrumentation load lazily:
 * client.webrtc.gzip_bytes and client.recording.gzip_bytes.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { installExample, packTarball } from '../scripts/consumers/pack.ts';
import { run } from '../scripts/consumers/process.ts';

export default async function clientBundle(): Promise<Record<string, number>> {
  const work = await mkdtemp(join(tmpdir(), 'flowtrace-bundle-'));
  try {
    await packTarball(work);
    const app = await installExample(work, 'vite-app');
    await run('npm', ['run', 'build', '--silent'], { cwd: app });
    const assets = join(app, 'dist/assets');
    const files = (await readdir(assets)).filter((file) => file.endsWith('.js'));
    const gz = async (file: string) => gzipSync(await readFile(join(assets, file)), { level: 9 }).length;
    const sum = async (list: string[]) => (await Promise.all(list.map(gz))).reduce((total, size) => total + size, 0);
    const webrtc = files.filter((file) => file.startsWith('webrtc'));
    const recording = files.filter((file) => file.startsWith('recording'));
    const zone: string[] = [];
    for (const file of files) if ((await readFile(join(assets, file), 'utf8')).includes('__zone_symbol__')) zone.push(file);
    const initial = files.filter((file) => !webrtc.includes(file) && !recording.includes(file) && !zone.includes(file));
    if (webrtc.length === 0 || recording.length === 0) throw new Error(`lazy chunks missing: ${files.join(', ')}`);
    // The zone chunk must be reached only through a dynamic import, never from an initial chunk.
    for (const file of initial) {
      const code = await readFile(join(assets, file), 'utf8');
      for (const chunk of zone) if (new RegExp(`from\\s*["']\\./${chunk}`).test(code)) throw new Error(`${chunk} (zone.js) is in the initial bundle`);
    }
    return {
      'client.bundle.gzip_bytes': await sum(initial),
      'client.webrtc.gzip_bytes': await sum(webrtc),
      'client.recording.gzip_bytes': await sum(recording),
      ...(zone.length ? { 'client.zone.gzip_bytes': await sum(zone) } : {}),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
