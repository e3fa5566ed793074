/**
 * What the demo shows while and after a request runs: busy buttons, statuses that never go
 * stale or repeat, messages where they belong, form errors that name their field, and a console
 * that stays clean for refusals the page handles. The trace tells the same story as the page.
 */
import type { ConsoleMessage, Page, Route } from '@playwright/test';
import { newAccount, register } from './accounts.ts';
import { expect, test } from './fixtures.ts';

/** Console errors and uncaught page errors, minus Chromium's own line for a 4xx response. */
function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`${error.name}: ${error.message}`));
  return problems;
}

test('registration names the refused field, marks it, and shows the message under the Register form', async ({ page, traces }) => {
  const problems = watchConsole(page);
  await page.goto('/');
  const form = page.getByRole('form', { name: 'Register' });
  await form.getByLabel('Display name').fill('Short');
  await form.getByLabel('E-mail').fill(`short-${Date.now()}@example.test`);
  await form.getByLabel('Password').fill('short');
  await form.getByRole('button', { name: 'Register' }).click();
  await expect(form.getByRole('status')).toHaveText('The password needs at least 8 characters.');
  await expect(form.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('E-mail')).toHaveAttribute('aria-invalid', 'false');

  await form.getByLabel('Password').fill('long-enough-password');
  await form.getByLabel('E-mail').fill('not-an-address');
  await form.getByRole('button', { name: 'Register' }).click();
  await expect(form.getByRole('status')).toHaveText('Enter a valid e-mail address.');
  await expect(form.getByLabel('E-mail')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('Password')).toHaveAttribute('aria-invalid', 'false');
  await expect(page.getByRole('form', { name: 'Sign in' }).getByRole('status')).toBeEmpty();

  const flows = (await traces.settle({ minTraces: 3 })).flatMap((trace) => trace.spans).filter((span) => span.name === 'auth.register');
  expect(flows.map((flow) => flow.attributes['simplycaster.validation.field']).toSorted()).toEqual(['email', 'password']);
  expect(flows.every((flow) => flow.attributes['flowtrace.flow.outcome'] === 'error')).toBe(true);
  // Handled refusals: no ApiError stack, no uncaught rejection.
  expect(problems).toEqual([]);
});

test('a room created with an empty name: the page says why, and the trace records the refusal, not a success', async ({ page, traces }) => {
  await page.goto('/');
  await register(page, newAccount('Empty'));
  await page.getByRole('button', { name: 'Create room' }).click();
  await expect(page.locator('#create-status')).toHaveText('Give the room a name.');
  await expect(page.getByLabel('Room name')).toHaveAttribute('aria-invalid', 'true');
  expect(await traces.rootedAt('room.create')).toHaveSpanTree({
    role: 'browser',
    name: 'room.create',
    status: 'error',
    attributes: {
      'flowtrace.flow.outcome': 'error',
      'flowtrace.flow.reason': 'Give the room a name.',
      'simplycaster.validation.field': 'name',
      'simplycaster.validation.failure': 'name_missing',
    },
  });
});

test('while a room is being created the button is busy, a second press sends nothing, and the old error is gone', async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto('/');
  await register(page, newAccount('Busy'));
  const button = page.getByRole('button', { name: 'Create room' });
  await button.click();
  await expect(page.locator('#create-status')).toHaveText('Give the room a name.');

  const held: Route[] = [];
  await page.route('**/api/rooms', (route) => (route.request().method() === 'POST' ? void held.push(route) : route.fallback()));
  await page.getByLabel('Room name').fill(`Busy room ${Date.now()}`);
  await button.click();
  await expect(button).toBeDisabled();
  await expect(button).toHaveAttribute('aria-busy', 'true');
  // The stale validation error is replaced at once.
  await expect(page.locator('#create-status')).toHaveText('Creating the room…');
  await button.click({ force: true }).catch(() => undefined);
  await page.getByLabel('Room name').press('Enter');
  expect(held).toHaveLength(1);
  await page.unroute('**/api/rooms');
  await held[0]!.fallback();
  await expect(page.locator('#create-status')).toHaveText(/^Room “Busy room \d+” created\./);
  await expect(button).toBeEnabled();
  await expect(button).not.toHaveAttribute('aria-busy');
  expect(problems).toEqual([]);
});

test('the room page shows the room name and settings before joining', async ({ page }) => {
  await page.goto('/');
  await register(page, newAccount('Preview'));
  const name = `Preview room ${Date.now()}`;
  await page.getByLabel('Room name').fill(name);
  await page.getByLabel('Max participants').fill('3');
  await page.getByRole('button', { name: 'Create room' }).click();
  await expect(page.locator('#create-status')).toHaveText(new RegExp(`^Room “${name}” created\\.`));
  await page.getByRole('link', { name: `Open ${name}` }).click();
  await expect(page.locator('#room-name')).toHaveText(name);
  await expect(page.locator('#room-settings')).toHaveText(/^This room: .*3/);
  await expect(page.getByRole('button', { name: 'Join', exact: true })).toBeEnabled();
});
