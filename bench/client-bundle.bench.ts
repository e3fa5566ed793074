/**
 * client.bundle.gzip_bytes: what a user's build really ships. The vite-app example (an app shell
 * with createClientTracing and clickFlow, built with flowtrace/vite) is installed from the packed
 * tarball outside the repo and built by its own `vite build`; the initial chunk(s), zone.js
 * included, gzip -9. The WebRTC and recording instrumentation load lazily:
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
    const initial = files.filter((file) => !webrtc.includes(file) && !recording.includes(file));
    if (webrtc.length === 0 || recording.length === 0) throw new Error(`lazy chunks missing: ${files.join(', ')}`);
    return {
      'client.bundle.gzip_bytes': await sum(initial),
      'client.webrtc.gzip_bytes': await sum(webrtc),
      'client.recording.gzip_bytes': await sum(recording),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
