// A consumer that gets things wrong: each mistake must fail at once with a message naming what to
// use or install. Installed with no pg, no PGlite and no @playwright/test on purpose.
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build } from 'vite';

async function rejection(load) {
  try {
    await load();
  } catch (error) {
    return String(error?.message ?? error);
  }
  assert.fail('expected an error');
}

// The browser SDK imported in Node.
assert.match(await rejection(() => import('flowtrace/client')), /runs in the browser only.*import "flowtrace\/server"/);

// The server and testing entries bundled for a browser: the bundle throws as soon as it runs.
const dir = await mkdtemp(join(process.cwd(), '.bundle-'));
for (const [entry, message] of [
  ['flowtrace/server', /runs in Node only.*import "flowtrace\/client"/],
  ['flowtrace/testing', /runs in Playwright \(Node\) only/],
]) {
  const file = join(dir, `${entry.replace('/', '-')}.js`);
  await writeFile(file, `import '${entry}';\n`);
  const output = await build({ configFile: false, logLevel: 'error', root: dir, build: { write: false, rollupOptions: { input: file } } });
  const [chunk] = (Array.isArray(output) ? output[0] : output).output;
  assert.match(await rejection(() => runInNewContext(chunk.code, {})), message);
}

// flowtrace/testing without @playwright/test.
assert.match(await rejection(() => import('flowtrace/testing')), /npm install -D @playwright\/test/);

// traceDatabase without a database client (neither pg nor PGlite installed).
const { createServerTracing, traceDatabase } = await import('flowtrace/server');
const tracing = createServerTracing({ register: false });
assert.match(await rejection(() => traceDatabase(tracing, undefined)), /npm install pg.*@electric-sql\/pglite/);

console.log(`bad-input: every mistake named its fix on Node ${process.version}`);
