/** Serves the built demo pages (dist/demo) with index.html as the fallback. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/** Looks for the file in each folder in turn; `undefined` when none has it. */
async function findFile(roots: string[], pathname: string): Promise<string | undefined> {
  for (const root of roots) {
    const file = normalize(join(root, pathname));
    if (!file.startsWith(root)) continue;
    if ((await stat(file).catch(() => undefined))?.isFile()) return file;
  }
  return undefined;
}

/** Serves files from `rootDirs`, searched in order; the last folder's index.html is the fallback. */
export function createStaticHandler(rootDirs: string[]) {
  const roots = rootDirs.map((dir) => resolve(dir));
  const fallback = join(roots.at(-1)!, 'index.html');
  return async function serveStatic(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (pathname.split('/').includes('..')) {
      res.writeHead(403).end();
      return;
    }
    const file = (await findFile(roots, pathname)) ?? fallback;
    const index = await stat(file).catch(() => undefined);
    if (!index?.isFile()) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('The demo page is not built: run `npm start` (it builds first).');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': file.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    createReadStream(file).pipe(res);
  };
}
