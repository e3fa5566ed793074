/**
 * The package as a user gets it: the packed tarball (prepack builds lib/), and examples copied
 * next to it outside the repo and installed from it. Shared by the consumer tests and the benches.
 */
import { cp, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './process.ts';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Packs the package into `work` as flowtrace.tgz, which the examples depend on (file:../flowtrace.tgz). */
export async function packTarball(work: string): Promise<string> {
  await run('npm', ['pack', '--pack-destination', work, '--loglevel=error'], { cwd: repoRoot });
  const [tarball] = (await readdir(work)).filter((file) => file.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack left no tarball in ${work}`);
  const path = join(work, 'flowtrace.tgz');
  await rename(join(work, tarball), path);
  return path;
}

/** Copies examples/{name} into `work` and installs it from the tarball there (npm cache first). */
export async function installExample(work: string, name: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const dir = join(work, name);
  await cp(join(repoRoot, 'examples', name), dir, {
    recursive: true,
    filter: (source) => !/[/\\](node_modules|dist|test-results|\.bundle-[^/\\]*)$/.test(source),
  });
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock', '--loglevel=error'], { cwd: dir, env });
  return dir;
}
