/** Creating rooms, listing them, and inviting people to the rooms you host. */
import { clickFlow } from 'flowtrace/client';
import { api, type Room, type User } from './api.ts';
import { errorMessage, showStatus } from './status.ts';

let rooms: Room[] = [];
let me: User | null = null;

function inviteButton(room: Room): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = 'Invite';
  button.setAttribute('aria-label', `Invite to ${room.name}`);
  button.addEventListener(
    'click',
    clickFlow('invitation.create', async (_event, flow) => {
      flow.setAttributes({ 'simplycaster.room.id': room.id });
      const inviteStatus = document.querySelector<HTMLElement>('#invite-status')!;
      try {
        const { token } = await api.invite(room.id);
        const link = document.createElement('input');
        link.className = 'invite-link';
        link.readOnly = true;
        link.setAttribute('aria-label', `Invite link for ${room.name}`);
        link.value = `${location.origin}/#invite=${token}`;
        button.after(link);
        showStatus(inviteStatus, `Invite link for “${room.name}” ready: it works once, for 24 hours.`, 'ok');
      } catch (error) {
        showStatus(inviteStatus, errorMessage(error, 'Could not create the invite link.'), 'error');
        throw error;
      }
    }),
  );
  return button;
}

export function renderRooms(): void {
  document.querySelector('#rooms')!.replaceChildren(
    ...rooms.map((room) => {
      const item = document.createElement('li');
      item.dataset.roomId = room.id;
      item.append(room.name);
      const open = document.createElement('a');
      open.href = `/room.html?room=${encodeURIComponent(room.id)}`;
      open.textContent = 'Open';
      open.setAttribute('aria-label', `Open ${room.name}`);
      open.className = 'open-room';
      item.append(' ', open);
      if (me && room.hostId === me.id) item.append(inviteButton(room));
      return item;
    }),
  );
}

export function setRoomsUser(user: User | null): void {
  me = user;
  renderRooms();
}

export async function loadRooms(): Promise<void> {
  rooms = await api.listRooms();
  renderRooms();
}

export function setUpRooms(): void {
  const form = document.querySelector<HTMLFormElement>('#create-room')!;
  const input = form.querySelector<HTMLInputElement>('#room-name')!;
  const status = document.querySelector<HTMLElement>('#create-status')!;
  // Pressing Enter in the input "clicks" the submit button, so one click handler covers both.
  form.querySelector('button')!.addEventListener(
    'click',
    clickFlow('room.create', async (event, flow) => {
      event.preventDefault();
      const name = input.value.trim();
      if (!name) return showStatus(status, 'Give the room a name.', 'error');
      try {
        const room = await api.createRoom(name);
        flow.setAttributes({ 'simplycaster.room.id': room.id });
        showStatus(status, `Room “${room.name}” created.`, 'ok');
        input.value = '';
        rooms = [room, ...rooms];
        renderRooms();
      } catch (error) {
        showStatus(status, errorMessage(error, 'Could not create the room.'), 'error');
        throw error;
      }
    }),
  );
}
