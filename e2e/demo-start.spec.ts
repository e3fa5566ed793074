/**
 * Starting the demo as `npm start` does (`node dist/server/main.js`, the production build):
 * a busy port, and the production build ignoring the testing fixture.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchDemo } from './harness/launch.ts';
import { expect, test } from './fixtures.ts';

// Inside the checkout's private port range (FLOWTRACE_E2E_PORT), clear of the suite's servers.
const PRODUCTION_PORT = Number(process.env.FLOWTRACE_E2E_PORT ?? 4310) + 7;

test('a second demo on a busy port says which port and PORT in one line, exits 1, and never opens the database', async ({ baseURL }) => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'flowtrace-busy-port-')), 'pglite');
  try {
    const busyPort = new URL(baseURL!).port;
    const child = spawn(process.execPath, ['dist/server/main.js'], {
      env: { ...process.env, PORT: busyPort, FLOWTRACE_DATA_DIR: dataDir, DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (data: Buffer) => (output += data.toString()));
    child.stderr.on('data', (data: Buffer) => (output += data.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`port ${busyPort}`);
    expect(lines[0]).toContain('PORT=');
    expect(lines[0]).not.toContain('EADDRINUSE');
    // PGlite creates its data folder when it opens: the running server's folder stays untouched.
    expect(existsSync(dataDir)).toBe(false);
  } finally {
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  }
});

test('the demo production build ignores the testing fixture (no test hooks), and an empty rooms card says so', async ({ page }) => {
  // A server of its own with a fresh PGlite: its cold start takes seconds on a busy machine.
  test.setTimeout(120_000);
  const demo = await launchDemo(PRODUCTION_PORT, {}, { server: 'demo' });
  try {
    await page.goto(`${demo.url}/`);
    // The page's SDK has started once the rooms list has loaded (the app starts tracing first).
    await expect(page.getByRole('heading', { name: 'Rooms' })).toBeVisible();
    await expect(page.locator('#create-signed-out')).toBeVisible();
    // A fresh database: the rooms card says so instead of staying blank.
    await expect(page.locator('#rooms-empty')).toHaveText('No rooms yet: create the first one above.');
    const hooks = await page.evaluate(() => ({ handle: typeof globalThis.__FLOWTRACE_TEST__, settle: typeof globalThis.__FLOWTRACE_TEST__?.settle }));
    expect(hooks).toEqual({ handle: 'object', settle: 'undefined' });
  } finally {
    await demo.stop();
  }
});
