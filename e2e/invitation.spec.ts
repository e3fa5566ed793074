import type { Page } from '@playwright/test';
import { newAccount, register } from './accounts.ts';
import { expect, test } from './fixtures.ts';
import { unique } from './members.ts';


async function hostRoomWithInvite(page: Page, roomName: string): Promise<string> {
  await page.goto('/');
  await register(page, newAccount('Host'));
  await page.getByLabel('Room name').fill(roomName);
  await page.getByRole('button', { name: 'Create room' }).click();
  await page.getByRole('button', { name: `Invite to ${roomName}` }).click();
  const link = page.getByLabel(`Invite link for ${roomName}`);
  await expect(link).toHaveValue(/#invite=[\w-]+$/);
  return link.inputValue();
}

test('a guest accepts an invite link: both flows traced from click to database', async ({ page, newTracedContext, traces }) => {
  const room = unique('Friday pod');
  const link = await hostRoomWithInvite(page, room);
  const guest = await (await newTracedContext()).newPage();
  await guest.goto(link);
  await register(guest, newAccount('Guest'));
  await guest.getByRole('button', { name: 'Accept invitation' }).click();
  await expect(guest.locator('#invitation-status')).toHaveText(`You joined “${room}”.`);

  expect(await traces.rootedAt('invitation.create')).toHaveSpanTree({
    role: 'browser',
    name: 'invitation.create',
    attributes: { 'simplycaster.room.id': /^[0-9a-f-]{36}$/ },
    children: [
      {
        kind: 'client',
        children: [
          {
            role: 'server',
            name: 'POST /api/rooms/:id/invitations',
            attributes: { 'http.route': '/api/rooms/:id/invitations' },
            children: [{ name: 'invitation.issue_token' }, { role: 'db', name: 'INSERT invitations' }],
          },
        ],
      },
    ],
  });
  expect(await traces.rootedAt('invitation.accept')).toHaveSpanTree({
    role: 'browser',
    name: 'invitation.accept',
    children: [
      {
        kind: 'client',
        children: [
          {
            role: 'server',
            name: 'POST /api/invitations/accept',
            children: [
              { name: 'invitation.redeem', status: 'unset', children: [{ role: 'db', name: 'UPDATE invitations' }] },
              { role: 'db', name: 'INSERT room_members' },
            ],
          },
        ],
      },
    ],
  });
  const token = link.split('#invite=')[1]!;
  expect(JSON.stringify(await traces.settle())).not.toContain(token);
});

test('a reused invite link is refused and nothing stored is lost', async ({ page, newTracedContext, traces }) => {
  const room = unique('Reuse test');
  const link = await hostRoomWithInvite(page, room);
  const first = await (await newTracedContext()).newPage();
  await first.goto(link);
  await register(first, newAccount('First'));
  await first.getByRole('button', { name: 'Accept invitation' }).click();
  await expect(first.locator('#invitation-status')).toHaveText(`You joined “${room}”.`);

  const second = await (await newTracedContext()).newPage();
  await second.goto(link);
  await register(second, newAccount('Second'));
  await second.getByRole('button', { name: 'Accept invitation' }).click();
  await expect(second.locator('#invitation-status')).toHaveText('This invite link has been used already.');

  const traced = await traces.settle({ minTraces: 2 });
  const refused = traced
    .map((trace) => trace.spans)
    .find((spans) => spans.some((span) => span.attributes['simplycaster.invitation.refused'] === 'used'));
  expect(refused).toBeDefined();
  expect(refused!.find((span) => span.name === 'invitation.accept')?.status).toEqual({
    code: 'error',
    message: 'This invite link has been used already.',
  });
  // The refused attempt wrote nothing: its trace has no membership insert.
  expect(refused!.some((span) => span.name === 'INSERT room_members')).toBe(false);
});

test('an expired invite link is refused with a reason in the UI and the trace', async ({ page, newTracedContext, traces }) => {
  await page.goto('/');
  await register(page, newAccount('Host'));
  const room = unique('Expiry test');
  await page.getByLabel('Room name').fill(room);
  await page.getByRole('button', { name: 'Create room' }).click();
  const roomId = await page.locator('li', { hasText: room }).getAttribute('data-room-id');
  const created = await page.request.post(`/api/rooms/${roomId}/invitations`, { data: { expiresInSeconds: 0 } });
  expect(created.status()).toBe(201);
  const { token } = (await created.json()) as { token: string };

  const guest = await (await newTracedContext()).newPage();
  await guest.goto(`/#invite=${token}`);
  await register(guest, newAccount('Late'));
  await guest.getByRole('button', { name: 'Accept invitation' }).click();
  await expect(guest.locator('#invitation-status')).toHaveText('This invite link has expired.');

  const accept = await traces.rootedAt('invitation.accept');
  expect(accept.find((span) => span.name === 'invitation.redeem')).toMatchObject({
    status: { code: 'error', message: 'invitation expired' },
    attributes: { 'simplycaster.invitation.refused': 'expired' },
  });
});
