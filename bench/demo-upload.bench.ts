/**
 * demo.upload_mb_per_s: recording chunks uploaded to the demo over loopback HTTP, one after
 * another as a recorder sends them (256 KiB each, 64 chunks = 16 MiB), each stored on disk and
 * recorded in the database, traced.
 */
import { randomBytes } from 'node:crypto';
import { launchDemo } from '../e2e/harness/launch.ts';
import { registerForCookie } from './bench-account.ts';

const CHUNK_BYTES = 256 * 1024;
const CHUNKS = 64;

export default async function demoUpload(): Promise<Record<string, number>> {
  const demo = await launchDemo(4392);
  try {
    const cookie = await registerForCookie(demo.url);
    const post = async (path: string, body: unknown) =>
      (await fetch(`${demo.url}${path}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
    const room = await post('/api/rooms', { name: 'bench' });
    const recording = await post(`/api/rooms/${room.id}/recordings`, {});
    const { trackId } = await post(`/api/recordings/${recording.id}/tracks`, { mimeType: 'video/webm' });
    const chunk = randomBytes(CHUNK_BYTES);
    const started = performance.now();
    for (let seq = 0; seq < CHUNKS; seq++) {
      const response = await fetch(`${demo.url}/api/recordings/${recording.id}/tracks/${trackId}/chunks/${seq}`, {
        method: 'PUT',
        headers: { cookie, 'content-type': 'video/webm' },
        body: chunk,
      });
      if (response.status !== 201) throw new Error(`chunk ${seq} answered ${response.status}`);
    }
    const seconds = (performance.now() - started) / 1000;
    return { 'demo.upload_mb_per_s': Math.round(((CHUNK_BYTES * CHUNKS) / 1024 / 1024 / seconds) * 10) / 10 };
  } finally {
    await demo.stop();
  }
}
