/**
 * Finds a Chromium for Playwright: an explicit path, the system's (Debian's `chromium`), or
 * Playwright's own download, in that order; otherwise fails saying exactly what to install.
 */
import { existsSync } from 'node:fs';
import type { LaunchOptions } from '@playwright/test';
import { chromium } from './playwright.ts';

const SYSTEM_CHROMIUMS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/** Flags that keep headless Chromium quiet and offline-safe on CI machines. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Flags for tests that use a camera, a microphone or WebRTC between two local pages. */
export const MEDIA_ARGS: readonly string[] = [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
];

/**
 * The Chromium executable to launch.
 * @throws Error naming what to install when none is found.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.FLOWTRACE_CHROMIUM;
  if (explicit) {
    if (existsSync(explicit)) return explicit;
    throw new Error(`FLOWTRACE_CHROMIUM=${explicit} does not exist; point it at a Chromium or Chrome executable`);
  }
  const system = SYSTEM_CHROMIUMS.find((path) => existsSync(path));
  if (system) return system;
  const bundled = chromium.executablePath();
  if (bundled && existsSync(bundled)) return bundled;
  throw new Error(
    'flowtrace/testing: no Chromium found. Install one with `sudo apt-get install -y chromium` (Debian/Ubuntu), ' +
      'or `npx playwright install chromium` where downloads work, or set FLOWTRACE_CHROMIUM=/path/to/chromium. ' +
      `Looked in: ${[...SYSTEM_CHROMIUMS, bundled].join(', ')}`,
  );
}

/** Launch options for Playwright's `use.launchOptions`. */
export function chromiumLaunchOptions({ media = false }: { media?: boolean } = {}): LaunchOptions {
  return {
    executablePath: findChromium(),
    args: [...CHROMIUM_ARGS, ...(media ? MEDIA_ARGS : [])],
  };
}
