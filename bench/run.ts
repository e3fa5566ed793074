/**
 * `npm run bench`: runs every `bench/*.bench.ts` (or the ones named on the command line), prints a
 * table, and merges the metrics into bench/results.json (a flat object, metric name -> number).
 *
 * A bench file's default export is an async function returning `{ metricName: value }`.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Bench = () => Promise<Record<string, number>>;

const dir = fileURLToPath(new URL('.', import.meta.url));
const resultsFile = fileURLToPath(new URL('results.json', import.meta.url));
const only = process.argv.slice(2);

const files = (await readdir(dir))
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
  .toSorted();

const previous = JSON.parse(await readFile(resultsFile, 'utf8').catch(() => '{}')) as Record<string, number>;
const results: Record<string, number> = { ...previous };
let failed = false;

/** Puts process.env back as it was: a bench may change it (Vite's build() sets NODE_ENV). */
function restoreEnv(snapshot: NodeJS.ProcessEnv): void {
  for (const key of Object.keys(process.env)) if (!(key in snapshot)) delete process.env[key];
  Object.assign(process.env, snapshot);
}

for (const file of files) {
  const started = performance.now();
  const env = { ...process.env };
  try {
    const bench = (await import(pathToFileURL(`${dir}/${file}`).href)) as { default: Bench };
    const metrics = await bench.default();
    Object.assign(results, metrics);
    for (const [name, value] of Object.entries(metrics)) console.log(`${name.padEnd(44)} ${String(value).padStart(12)}`);
    console.log(`  (${basename(file)} in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    failed = true;
    console.error(`${file} failed:`, error);
  } finally {
    restoreEnv(env);
  }
}

const sorted = Object.fromEntries(Object.entries(results).toSorted(([a], [b]) => a.localeCompare(b)));
await writeFile(resultsFile, `${JSON.stringify(sorted, null, 2)}\n`);
console.log(`\nwrote ${Object.keys(sorted).length} metrics to bench/results.json`);
if (failed) process.exitCode = 1;
