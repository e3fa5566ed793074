/**
 * Media files on disk: one folder per track, one file per chunk, assembled into `track.webm`.
 * Chunks are written to a temporary file first and only renamed into place once the database has
 * accepted them, so a refused or broken upload never replaces a stored chunk.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';

/** The chunk was larger than the limit; nothing was kept. */
/**
 * Reads and drops the rest of a refused upload, so the client, still sending, gets the refusal
 * instead of a reset connection; one that keeps sending past `maxBytes` more is cut off.
 */
function discardRest(body: IncomingMessage, maxBytes: number): void {
  let drained = 0;
  body.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > maxBytes) body.destroy();
  });
}

export class ChunkTooLargeError extends Error {
  override name = 'ChunkTooLargeError';
}

export interface Assembled {
  bytes: number;
  sha256: string;
}

export class MediaStore {
  readonly root: string;
  readonly maxChunkBytes: number;

  constructor(root: string, { maxChunkBytes = 8 * 1024 * 1024 }: { maxChunkBytes?: number } = {}) {
    this.root = resolve(root);
    this.maxChunkBytes = maxChunkBytes;
  }

  #trackDir(trackId: string): string {
    return join(this.root, trackId);
  }

  #chunkPath(trackId: string, seq: number): string {
    return join(this.#trackDir(trackId), `chunk-${String(seq).padStart(6, '0')}.part`);
  }

  trackFile(trackId: string): string {
    return join(this.#trackDir(trackId), 'track.webm');
  }

  /** Streams a request body to a temporary file, up to the limit; returns its path and size. */
  async receive(trackId: string, body: IncomingMessage): Promise<{ temp: string; bytes: number }> {
    await mkdir(this.#trackDir(trackId), { recursive: true });
    const temp = join(this.#trackDir(trackId), `upload-${randomUUID()}.tmp`);
    let bytes = 0;
    const limit = this.maxChunkBytes;
    try {
      await pipeline(
        // Not destroyed when the cap trips: the request must stay open for the 413 to reach the client.
        body.iterator({ destroyOnReturn: false }),
        async function* capped(source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            bytes += chunk.length;
            if (bytes > limit) throw new ChunkTooLargeError(`chunk exceeds ${limit} bytes`);
            yield chunk;
          }
        },
        createWriteStream(temp, { flags: 'wx' }),
      );
    } catch (error) {
      if (error instanceof ChunkTooLargeError) discardRest(body, limit);
      await rm(temp, { force: true });
      throw error;
    }
    return { temp, bytes };
  }

  async keep(temp: string, trackId: string, seq: number): Promise<void> {
    await rename(temp, this.#chunkPath(trackId, seq));
  }

  async discard(temp: string): Promise<void> {
    await rm(temp, { force: true });
  }

  /**
   * Concatenates chunks 0..count-1 into the track file and hashes it in the same pass: one
   * pipeline into one write stream (a pipeline per chunk into a shared stream would add listeners
   * to it per chunk: Node's MaxListenersExceededWarning from the 11th on).
   */
  async assemble(trackId: string, count: number): Promise<Assembled> {
    const hash = createHash('sha256');
    const chunkPath = (seq: number) => this.#chunkPath(trackId, seq);
    await pipeline(async function* chunks() {
      for (let seq = 0; seq < count; seq++) {
        for await (const chunk of createReadStream(chunkPath(seq)) as AsyncIterable<Buffer>) {
          hash.update(chunk);
          yield chunk;
        }
      }
    }, createWriteStream(this.trackFile(trackId)));
    return { bytes: (await stat(this.trackFile(trackId))).size, sha256: hash.digest('hex') };
  }
}
