import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { expect, test } from '@playwright/test';
import { MediaStore } from './media-store.ts';

async function storeWithChunks(count: number): Promise<{ store: MediaStore; root: string; expected: Buffer }> {
  const root = await mkdtemp(join(tmpdir(), 'flowtrace-media-test-'));
  const store = new MediaStore(root);
  const parts: Buffer[] = [];
  for (let seq = 0; seq < count; seq++) {
    const body = Buffer.from(`chunk ${seq};`.repeat(100));
    parts.push(body);
    const { temp } = await store.receive('track', Readable.from([body]) as unknown as IncomingMessage);
    await store.keep(temp, 'track', seq);
  }
  return { store, root, expected: Buffer.concat(parts) };
}

test('assembling a 40-chunk track prints no MaxListenersExceededWarning and keeps every byte in order', async () => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  process.on('warning', onWarning);
  const { store, root, expected } = await storeWithChunks(40);
  try {
    const assembled = await store.assemble('track', 40);
    // Warnings are emitted on a later tick: let one pass before looking.
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.map((warning) => warning.name)).toEqual([]);
    expect(await readFile(store.trackFile('track'))).toEqual(expected);
    expect(assembled).toEqual({ bytes: expected.length, sha256: createHash('sha256').update(expected).digest('hex') });
  } finally {
    process.off('warning', onWarning);
    await rm(root, { recursive: true, force: true });
  }
});

test('assembling a track whose chunk is missing fails instead of writing a short file as ready', async () => {
  const { store, root } = await storeWithChunks(3);
  try {
    await rm(join(root, 'track', 'chunk-000001.part'));
    await expect(store.assemble('track', 3)).rejects.toThrow(/ENOENT/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('assembling zero chunks writes an empty track', async () => {
  const root = await mkdtemp(join(tmpdir(), 'flowtrace-media-test-'));
  try {
    const store = new MediaStore(root);
    await mkdir(join(root, 'empty'));
    expect(await store.assemble('empty', 0)).toEqual({ bytes: 0, sha256: createHash('sha256').digest('hex') });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
