/** Stops the e2e-jaeger stack after its specs (the web server's SIGTERM would too, later). */
import { test as teardown } from '@playwright/test';
import { STACK_PORTS, url } from './ports.ts';

teardown('stop the e2e-jaeger stack', async ({ request }) => {
  await request.post(`${url(STACK_PORTS.control)}/down`, { timeout: 30_000 });
});
