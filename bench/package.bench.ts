/**
 * package.tarball_bytes and package.files: the tarball `npm pack` makes (what `npm publish`
 * uploads), its size in bytes and its file count. Goal: at most 150 000 bytes, only the library.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packTarball } from '../scripts/consumers/pack.ts';
import { run } from '../scripts/consumers/process.ts';

export default async function packageSize(): Promise<Record<string, number>> {
  const work = await mkdtemp(join(tmpdir(), 'flowtrace-pack-'));
  try {
    const tarball = await packTarball(work);
    const listing = await run('tar', ['-tzf', tarball], { cwd: work });
    const files = listing.split('\n').filter((line) => line && !line.endsWith('/'));
    return { 'package.tarball_bytes': (await stat(tarball)).size, 'package.files': files.length };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
