/**
 * `npm run test:consumers`: proves the package the way a user meets it. Packs the tarball (prepack
 * builds lib/), copies examples/ next to it in a temporary folder outside the repo (nothing
 * resolves through this repo's node_modules or sources), installs each example once, then runs
 * every example on each Node line (default 22 24 26, from scripts/node-line.sh).
 *
 * Env: FLOWTRACE_NODE_LINES ("22 24 26"), FLOWTRACE_CONSUMER_PORT (first of 3 ports, default
 * 4370), DATABASE_URL (node-http also runs on PostgreSQL), FLOWTRACE_KEEP_CONSUMERS=1 keeps the folder.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { installExample, packTarball, repoRoot as root } from './consumers/pack.ts';
import { run, start, until } from './consumers/process.ts';
import { checkExpress, checkHono, checkNodeHttp } from './consumers/server-checks.ts';

const lines = (process.env.FLOWTRACE_NODE_LINES ?? '22 24 26').split(/[\s,]+/).filter(Boolean);
const basePort = Number(process.env.FLOWTRACE_CONSUMER_PORT ?? 4370);
const databaseUrl = process.env.DATABASE_URL;

// Installed only where they belong: a browser app gets no database driver, a server no bundler.
const MUST_NOT_INSTALL: Record<string, string[]> = {
  'vite-app': ['pg', '@electric-sql/pglite', 'ws', 'express', 'hono', '@playwright/test'],
  'node-http': ['vite', '@playwright/test', 'express', 'hono'],
  'bad-input': ['pg', '@electric-sql/pglite', '@playwright/test'],
};

type Env = NodeJS.ProcessEnv;
interface Example {
  /** The folder under examples/. */
  name: string;
  /** How the run is reported. @default name */
  label?: string;
  check(dir: string, env: Env): Promise<void>;
}

/** Starts `node server.mjs`, waits for /healthz, checks it, and expects a clean exit on SIGTERM. */
function serverExample(name: string, port: number, check: (base: string) => Promise<void>, extraEnv: Env = {}): Example {
  return {
    name,
    async check(dir, env) {
      const server = start('node', ['server.mjs'], { cwd: dir, env: { ...env, ...extraEnv, PORT: String(port) } });
      const base = `http://127.0.0.1:${port}`;
      let failure: unknown;
      try {
        await until(`${name} to answer ${base}/healthz`, async () => {
          if (server.child.exitCode !== null) throw new Error(`exited with ${server.child.exitCode}`);
          return (await fetch(`${base}/healthz`)).ok ? true : undefined;
        }, 120_000); // PGlite starts in seconds when idle; a loaded CI machine can take far longer
        await check(base);
      } catch (error) {
        failure = error;
      }
      const code = await server.stop();
      if (failure === undefined && code !== 0) failure = new Error(`exited with ${code} on SIGTERM`);
      if (failure !== undefined) {
        throw new Error(`${name}: ${String(failure)}\n--- server output ---\n${server.output()}`, { cause: failure });
      }
    },
  };
}

const npmScript = (name: string, script: string): Example => ({
  name,
  async check(dir, env) {
    await run('npm', ['run', script, '--silent'], { cwd: dir, env });
  },
});

const examples: Example[] = [
  serverExample('node-http', basePort, checkNodeHttp, { DATABASE_URL: '' }),
  ...(databaseUrl ? [{ ...serverExample('node-http', basePort, checkNodeHttp, { DATABASE_URL: databaseUrl }), label: 'node-http (pg)' }] : []),
  serverExample('express', basePort + 1, checkExpress),
  serverExample('hono', basePort + 2, checkHono),
  {
    name: 'commonjs',
    async check(dir, env) {
      await run('node', ['index.cjs'], { cwd: dir, env });
    },
  },
  npmScript('bad-input', 'test'),
  npmScript('vite-app', 'build'),
  // Serves the vite-app's build through node-http, so it runs after vite-app. node-http has proven
  // PGlite above; with PostgreSQL at hand the server here uses it and starts in seconds, not tens.
  {
    name: 'playwright',
    async check(dir, env) {
      await run('npm', ['test', '--silent'], { cwd: dir, env: { ...env, PORT: String(basePort), DATABASE_URL: databaseUrl ?? '' } });
    },
  },
];

/** PATH with one Node line first: `node`, and `npm` (an env-node script), run on that line. */
function envFor(line: string): Env {
  const bin = execFileSync(join(root, 'scripts/node-line.sh'), [line], { encoding: 'utf8' }).trim();
  return { ...process.env, PATH: `${dirname(bin)}:${process.env.PATH ?? ''}`, npm_config_update_notifier: 'false' };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  console.log(`  ok  ${label} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  return result;
}

const work = await mkdtemp(join(tmpdir(), 'flowtrace-consumers-'));
let failed = false;
try {
  console.log(`consumers: packing into ${work}`);
  await timed('npm pack', () => packTarball(work));

  // Installed once, on the oldest line; the npm cache makes the repeat runs in CI cheap.
  const installEnv = envFor(lines[0] ?? '22');
  for (const name of new Set(examples.map((example) => example.name))) {
    const dir = await timed(`install ${name}`, () => installExample(work, name, installEnv));
    for (const forbidden of MUST_NOT_INSTALL[name] ?? []) {
      if (await exists(join(dir, 'node_modules', forbidden))) throw new Error(`${name} installed ${forbidden}, which it does not need`);
    }
  }

  for (const line of lines) {
    const env = envFor(line);
    console.log(`consumers on Node ${execFileSync('node', ['-v'], { env, encoding: 'utf8' }).trim()}`);
    for (const example of examples) {
      const label = example.label ?? example.name;
      try {
        await timed(`${label} on Node ${line}`, () => example.check(join(work, example.name), env));
      } catch (error) {
        failed = true;
        console.error(`FAIL ${label} on Node ${line}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
} finally {
  if (process.env.FLOWTRACE_KEEP_CONSUMERS) console.log(`consumers: kept ${work}`);
  else await rm(work, { recursive: true, force: true });
}
if (failed) {
  console.error('consumers: FAILED');
  process.exitCode = 1;
} else console.log('consumers: all examples passed');
