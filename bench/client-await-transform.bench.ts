/**
 * client.await_transform.bytes_ratio: what the flowtrace await transform adds to app code, on the
 * demo's own modules (demo/client, the test harness excluded): each module with its types
 * stripped, minified, against the same module through the await transform, minified. The
 * transform's import of its helpers counts (with a one-letter specifier, as a bundle would
 * leave it). client.await_lowering.bytes_ratio is the zone-mode way for comparison: the same
 * modules lowered to es2016 (async/await as generators), minified. The `*.gzip_ratio` keys
 * compare the gzip of all modules concatenated, closer to what a bundle sends over the wire.
 * Measured per module, so each module pays the helper import a bundle would pay once per chunk.
 *
 * client.await_transform.bundle_bytes_ratio is the same comparison as the demo ships it: its two
 * pages' scripts built by Vite (minified, three chunks), with and without the transform, everything
 * outside demo/client external (the SDK and the transform's helpers are not app code).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build, minifySync, transformWithOxc, type Rolldown } from 'vite';
import { transformAwait } from '../vite/await-transform.ts';

const demo = fileURLToPath(new URL('../demo/client/', import.meta.url));
// The harness and its scenarios are tests of the SDK, not the app.
const TEST_ONLY = new Set(['sdk-harness.ts', 'await-scenarios.ts']);

const minified = (file: string, code: string) => minifySync(file, code, { compress: true, mangle: true }).code;
const gz = (code: string) => gzipSync(code, { level: 9 }).length;
const bytes = (code: string) => Buffer.byteLength(code);
const round3 = (value: number) => Math.round(value * 1000) / 1000;

/** The bytes of the demo's page scripts as Vite builds them, app code only. */
async function bundledBytes(transform: boolean): Promise<number> {
  const plugin = { name: 'await-transform', transform: (code: string, id: string) => (id.startsWith(demo) ? (transformAwait(code, id, 'r') ?? null) : null) };
  const output = (await build({
    configFile: false,
    logLevel: 'silent',
    root: demo,
    plugins: transform ? [plugin] : [],
    build: {
      write: false,
      minify: true,
      modulePreload: false,
      rollupOptions: {
        input: { main: join(demo, 'main.ts'), room: join(demo, 'room.ts') },
        external: (id: string) => id === 'r' || !(id.startsWith(demo) || id.startsWith('.')),
      },
    },
  })) as Rolldown.RolldownOutput;
  return output.output.reduce((sum, file) => sum + (file.type === 'chunk' ? bytes(file.code) : 0), 0);
}

export default async function clientAwaitTransform(): Promise<Record<string, number>> {
  let before = '';
  let transformed = '';
  let lowered = '';
  for (const name of readdirSync(demo).filter((file) => file.endsWith('.ts') && !TEST_ONLY.has(file))) {
    const file = join(demo, name);
    const source = readFileSync(file, 'utf8');
    const js = (await transformWithOxc(source, file, { target: 'esnext' })).code;
    const jsFile = file.replace(/\.ts$/, '.js');
    before += minified(jsFile, js);
    transformed += minified(jsFile, transformAwait(js, jsFile, 'r')?.code ?? js);
    lowered += minified(jsFile, (await transformWithOxc(source, file, { target: 'es2016' })).code);
  }
  return {
    'client.await_transform.bytes_ratio': round3(bytes(transformed) / bytes(before)),
    'client.await_lowering.bytes_ratio': round3(bytes(lowered) / bytes(before)),
    'client.await_transform.bundle_bytes_ratio': round3((await bundledBytes(true)) / (await bundledBytes(false))),
    'client.await_transform.gzip_ratio': round3(gz(transformed) / gz(before)),
    'client.await_lowering.gzip_ratio': round3(gz(lowered) / gz(before)),
  };
}
