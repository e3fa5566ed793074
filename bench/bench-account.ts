/** Throwaway demo accounts for benchmarks: creating a room needs one. */
import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';

/** A new account's registration fields. */
export function newBenchAccount(): { displayName: string; email: string; password: string } {
  return { displayName: 'Bench', email: `bench-${randomUUID()}@example.test`, password: 'bench-password' };
}

/** Registers a new account on the demo at `url` and returns its session cookie (`name=value`). */
export async function registerForCookie(url: string): Promise<string> {
  const registered = await fetch(`${url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(newBenchAccount()),
  });
  if (registered.status !== 201) throw new Error(`POST /api/auth/register answered ${registered.status}`);
  return registered.headers.get('set-cookie')!.split(';')[0]!;
}

/** Creates a room on the demo page as a person would; milliseconds from the click to the confirmation. */
export async function createRoom(page: Page, name: string): Promise<number> {
  await page.getByLabel('Room name').fill(name);
  const started = performance.now();
  await page.getByRole('button', { name: 'Create room' }).click();
  await page.locator('#create-status', { hasText: `Room “${name}” created.` }).waitFor();
  return performance.now() - started;
}
