/**
 * The one place flowtrace/testing loads `@playwright/test` (an optional peer dependency), so a
 * project without it gets one error that says what to install instead of a module-resolution
 * stack trace from inside node_modules.
 *
 * `require` rather than `import`: a static import fails while Node links the module graph, before
 * any of our code runs, and top-level `await import()` would stop CommonJS Playwright projects
 * from loading this package with `require` (Node's require(esm) refuses top-level await).
 * @playwright/test is CommonJS, and its ESM entry re-exports this same instance.
 */
import { createRequire } from 'node:module';

type PlaywrightTest = typeof import('@playwright/test');

function loadPlaywrightTest(): PlaywrightTest {
  try {
    return createRequire(import.meta.url)('@playwright/test') as PlaywrightTest;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'MODULE_NOT_FOUND' || !String(error).includes('@playwright/test')) throw error;
    throw new Error(
      'flowtrace/testing runs inside Playwright Test and needs @playwright/test in your project: ' +
        'npm install -D @playwright/test',
      { cause: error },
    );
  }
}

const playwrightTest = loadPlaywrightTest();

export const { chromium, expect: baseExpect, test: baseTest } = playwrightTest;
