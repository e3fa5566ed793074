/**
 * Starts the e2e-jaeger stack (see stack.ts) before its specs; without Jaeger or PostgreSQL a local
 * run reports them skipped, saying what to install, and CI fails instead.
 */
import { expect, test as setup } from '@playwright/test';
import { STACK_PORTS, url } from './ports.ts';

setup('start Jaeger, two demo instances on one PostgreSQL, and the balancer', async ({ request }) => {
  setup.setTimeout(150_000);
  const response = await request.post(`${url(STACK_PORTS.control)}/up`, { timeout: 140_000 });
  if (response.status() === 424) {
    const { reason } = (await response.json()) as { reason: string };
    if (process.env.CI) throw new Error(`the e2e-jaeger specs must run in CI, but: ${reason}`);
    setup.skip(true, `e2e-jaeger skipped: ${reason}`);
  }
  expect(response.status(), await response.text()).toBe(200);
});
