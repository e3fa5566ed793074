/** Reads a request body up to a byte limit. */
import type { IncomingMessage } from 'node:http';

/** The body was larger than the limit; the rest of it was not read. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limitBytes) throw new BodyTooLargeError(`body of ${declared} bytes exceeds the ${limitBytes}-byte limit`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw new BodyTooLargeError(`body exceeds the ${limitBytes}-byte limit`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
