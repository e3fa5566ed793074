/** Signs people up through the demo's UI, with an e-mail address unique to the test. */
import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expect } from './fixtures.ts';

export interface Account {
  displayName: string;
  email: string;
  password: string;
}

export function newAccount(displayName: string): Account {
  return { displayName, email: `${displayName.toLowerCase()}-${randomUUID()}@example.test`, password: `pw-${randomUUID()}` };
}

export async function register(page: Page, account: Account): Promise<void> {
  const form = page.getByRole('form', { name: 'Register' });
  await form.getByLabel('Display name').fill(account.displayName);
  await form.getByLabel('E-mail').fill(account.email);
  await form.getByLabel('Password').fill(account.password);
  await form.getByRole('button', { name: 'Register' }).click();
  await expect(page.locator('#account-status')).toHaveText(`Welcome, ${account.displayName}!`);
}

export async function signIn(page: Page, account: Pick<Account, 'email' | 'password'>): Promise<void> {
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('E-mail').fill(account.email);
  await form.getByLabel('Password').fill(account.password);
  await form.getByRole('button', { name: 'Sign in' }).click();
}
