import { newAccount, register, signIn } from './accounts.ts';
import { expect, test } from './fixtures.ts';

test('signing in traces credential validation, session creation and token generation', async ({ page, traces }) => {
  const account = newAccount('Lin');
  await page.goto('/');
  await register(page, account);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.locator('#account-status')).toHaveText('Signed out.');

  await signIn(page, account);
  await expect(page.locator('#account-status')).toHaveText(`Welcome back, ${account.displayName}!`);
  // Said once, by the signed-in view, not repeated by the status line.
  await expect(page.getByText(`Signed in as ${account.displayName}`)).toHaveCount(1);

  expect(await traces.rootedAt('auth.login')).toHaveSpanTree({
    role: 'browser',
    name: 'auth.login',
    children: [
      {
        kind: 'client',
        children: [
          {
            role: 'server',
            name: 'POST /api/auth/login',
            attributes: { 'enduser.id': /^[0-9a-f-]{36}$/, 'http.response.status_code': 200 },
            children: [
              { role: 'server', name: 'auth.validate_credentials', status: 'unset', children: [{ role: 'db', name: 'SELECT users' }] },
              {
                role: 'server',
                name: 'auth.create_session',
                children: [{ role: 'server', name: 'auth.issue_token', children: [{ role: 'db', name: 'INSERT sessions' }] }],
              },
            ],
          },
        ],
      },
    ],
  });
  expect(await traces.rootedAt('auth.logout')).toHaveSpanTree({
    name: 'auth.logout',
    children: [{ kind: 'client', children: [{ name: 'POST /api/auth/logout', children: [{ role: 'db', name: 'DELETE sessions' }] }] }],
  });
});

test('a wrong password is refused in the UI and traced as a security event that carries no secret', async ({ page, traces }) => {
  const account = newAccount('Mo');
  await page.goto('/');
  await register(page, account);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.locator('#account-status')).toHaveText('Signed out.');

  const wrongPassword = `wrong-${account.password}`;
  await signIn(page, { email: account.email, password: wrongPassword });
  // Under the sign-in form, where it belongs.
  await expect(page.getByRole('form', { name: 'Sign in' }).getByRole('status')).toHaveText('Wrong e-mail address or password.');
  await expect(page.getByRole('form', { name: 'Register' }).getByRole('status')).toBeEmpty();
  await expect(page.getByRole('form', { name: 'Sign in' }).getByLabel('Password')).toHaveValue('');

  const trace = await traces.rootedAt('auth.login');
  expect(trace).toHaveSpanTree({
    role: 'browser',
    name: 'auth.login',
    status: 'error',
    attributes: { 'flowtrace.flow.outcome': 'error' },
    children: [
      {
        kind: 'client',
        children: [
          {
            role: 'server',
            name: 'POST /api/auth/login',
            // 4xx is the client's error, not the server's (HTTP span conventions).
            status: 'unset',
            attributes: { 'http.response.status_code': 401 },
            children: [{ name: 'auth.validate_credentials', status: 'error', children: [{ role: 'db', name: 'SELECT users' }] }],
          },
        ],
      },
    ],
  });
  const validation = trace.find((span) => span.name === 'auth.validate_credentials')!;
  expect(validation.events).toEqual([
    expect.objectContaining({ name: 'security.login_failed', attributes: { 'auth.failure.reason': 'wrong_password' } }),
  ]);
  expect(trace.some((span) => span.name === 'auth.create_session')).toBe(false);
  const exported = JSON.stringify(await traces.settle());
  for (const secret of [wrongPassword, account.password, account.email]) expect(exported).not.toContain(secret);
});

test('an unknown e-mail address gets the same answer as a wrong password', async ({ page, traces }) => {
  await page.goto('/');
  await signIn(page, { email: 'nobody-here@example.test', password: 'whatever-it-is' });
  await expect(page.getByRole('form', { name: 'Sign in' }).getByRole('status')).toHaveText('Wrong e-mail address or password.');
  const validation = (await traces.rootedAt('auth.login')).find((span) => span.name === 'auth.validate_credentials')!;
  expect(validation.events[0]?.attributes).toEqual({ 'auth.failure.reason': 'unknown_user' });
});
