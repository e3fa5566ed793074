/**
 * Room members over the demo's real HTTP API, in a browser context's own cookie jar (so its pages
 * are signed in too): a host with a room, and guests who accepted its invite links.
 */
import { randomUUID } from 'node:crypto';
import type { APIRequestContext, BrowserContext, Page } from '@playwright/test';
import { newAccount, type Account } from './accounts.ts';
import { expect } from './fixtures.ts';

export interface Member extends Account {
  id: string;
}

/**
 * Registers a new account in `client` (a browser context, whose pages share its cookies, or an API
 * client), which stays signed in as it. Untagged: its spans belong to no test.
 */
export async function signUp(client: BrowserContext | APIRequestContext, displayName: string): Promise<Member> {
  const account = newAccount(displayName);
  const request = 'request' in client ? client.request : client;
  const response = await request.post('/api/auth/register', { data: account });
  expect(response.status()).toBe(201);
  return { ...account, id: ((await response.json()) as { user: { id: string } }).user.id };
}

/** Creates a room hosted by the account signed in to `host`, with the settings given (or the defaults); returns its id. */
export async function createRoom(
  host: BrowserContext,
  name: string,
  settings: { maxParticipants?: number; recordingMode?: 'audio' | 'video' } = {},
): Promise<string> {
  const response = await host.request.post('/api/rooms', { data: { name, ...settings } });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** The host invites, the account signed in to `guest` accepts: it becomes a member. */
export async function addGuest(host: BrowserContext, guest: BrowserContext, roomId: string): Promise<void> {
  const invited = await host.request.post(`/api/rooms/${roomId}/invitations`, { data: {} });
  expect(invited.status()).toBe(201);
  const { token } = (await invited.json()) as { token: string };
  expect((await guest.request.post('/api/invitations/accept', { data: { token } })).status()).toBe(200);
}

/** A name no earlier run used: the PostgreSQL test database keeps the rooms of earlier runs. */
export function unique(name: string): string {
  return `${name} ${randomUUID().slice(0, 8)}`;
}

/** Opens a room page and joins it as a member, waiting until the page says so. */
export async function joinRoomPage(page: Page, roomId: string, role: 'host' | 'guest'): Promise<void> {
  await page.goto(`/room.html?room=${roomId}`);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.locator('#call-status')).toHaveText(new RegExp(` as ${role}\\. Waiting for a call\\.$`));
}
