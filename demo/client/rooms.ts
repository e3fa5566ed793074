/** The rooms list, and inviting people to the rooms you host. */
import { clickFlow } from 'flowtrace/client';
import { api, type Room, type User } from './api.ts';
import { describeSettings } from './room-settings.ts';
import { showRefusal, showStatus, whileBusy } from './status.ts';

let rooms: Room[] = [];
let me: User | null = null;

function inviteButton(room: Room): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = 'Invite';
  button.setAttribute('aria-label', `Invite to ${room.name}`);
  button.addEventListener(
    'click',
    clickFlow('invitation.create', (_event, flow) => whileBusy(button, async () => {
      flow.setAttributes({ 'simplycaster.room.id': room.id });
      const inviteStatus = document.querySelector<HTMLElement>('#invite-status')!;
      showStatus(inviteStatus, `Creating an invite link for “${room.name}”…`, 'pending');
      try {
        const { token } = await api.invite(room.id);
        const link = document.createElement('input');
        link.className = 'invite-link';
        link.readOnly = true;
        link.setAttribute('aria-label', `Invite link for ${room.name}`);
        link.value = `${location.origin}/#invite=${token}`;
        // One link on show per room: a new one replaces the last.
        if (button.nextElementSibling?.classList.contains('invite-link')) button.nextElementSibling.remove();
        button.after(link);
        showStatus(inviteStatus, `Invite link for “${room.name}” ready: it works once, for 24 hours.`, 'ok');
      } catch (error) {
        showRefusal(flow, inviteStatus, error, 'Could not create the invite link.');
      }
    })),
  );
  return button;
}

export function renderRooms(): void {
  document.querySelector<HTMLElement>('#rooms-empty')!.hidden = rooms.length > 0;
  document.querySelector('#rooms')!.replaceChildren(
    ...rooms.map((room) => {
      const item = document.createElement('li');
      item.dataset.roomId = room.id;
      const settings = document.createElement('span');
      settings.className = 'room-settings';
      settings.textContent = ` (${describeSettings(room)})`;
      item.append(room.name, settings);
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

/** Re-renders the list for `user` (the rooms they host get an Invite button). */
export function setRoomsUser(user: User | null): void {
  me = user;
  renderRooms();
}

/** Puts a room just created at the top of the list. */
export function addRoom(room: Room): void {
  rooms = [room, ...rooms];
  renderRooms();
}

export async function loadRooms(): Promise<void> {
  rooms = await api.listRooms();
  renderRooms();
}
