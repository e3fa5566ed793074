import { newAccount, register } from './accounts.ts';
import { expect, test } from './fixtures.ts';

test('registering traces hashing, the user row and the new session, with no secret in any span', async ({ page, context, traces }) => {
  const account = newAccount('Ada');
  await page.goto('/');
  await register(page, account);

  const trace = await traces.rootedAt('auth.register');
  expect(trace).toHaveSpanTree({
    role: 'browser',
    name: 'auth.register',
    attributes: { 'flowtrace.flow.outcome': 'ok' },
    children: [
      {
        kind: 'client',
        children: [
          {
            role: 'server',
            name: 'POST /api/auth/register',
            attributes: { 'enduser.id': /^[0-9a-f-]{36}$/, 'http.response.status_code': 201 },
            children: [
              { role: 'server', name: 'auth.hash_password' },
              { role: 'db', name: 'INSERT users' },
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

  const cookie = (await context.cookies()).find((c) => c.name === 'sc_session');
  expect(cookie?.httpOnly).toBe(true);
  const exported = JSON.stringify(await traces.settle());
  for (const secret of [account.password, account.email, cookie!.value]) expect(exported).not.toContain(secret);
});

test('registering an e-mail address twice is refused with a clear error', async ({ page, browser }) => {
  const account = newAccount('Grace');
  await page.goto('/');
  await register(page, account);

  const other = await browser.newPage();
  await other.goto('/');
  const form = other.getByRole('form', { name: 'Register' });
  await form.getByLabel('Display name').fill('Someone else');
  await form.getByLabel('E-mail').fill(account.email);
  await form.getByLabel('Password').fill('another-password');
  await form.getByRole('button', { name: 'Register' }).click();
  await expect(form.getByRole('status')).toHaveText('An account with this e-mail address exists already.');
  await other.close();
});
