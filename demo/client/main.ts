/**
 * The SimplyCaster app shell: flowtrace is initialised once, then each user action runs as a flow.
 */
import { clickFlow, initFlowtrace } from 'flowtrace/client';
import { createRoom, listRooms, type Room } from './api.ts';

// A demo records every flow (production builds default to 10 %), and its e2e tests run this
// production build, so it answers the test fixture too.
initFlowtrace({ serviceName: 'simplycaster-web', sampleRatio: 1, testHooks: true });

const form = document.querySelector<HTMLFormElement>('#create-room')!;
const input = document.querySelector<HTMLInputElement>('#room-name')!;
const submit = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
const status = document.querySelector<HTMLElement>('#create-status')!;
const list = document.querySelector<HTMLUListElement>('#rooms')!;

function renderRooms(rooms: Room[]): void {
  list.replaceChildren(
    ...rooms.map((room) => {
      const item = document.createElement('li');
      item.textContent = room.name;
      item.dataset.roomId = room.id;
      return item;
    }),
  );
}

function showStatus(text: string, state: 'ok' | 'error'): void {
  status.textContent = text;
  status.dataset.state = state;
}

// Pressing Enter in the input "clicks" the submit button, so one click handler covers both.
submit.addEventListener(
  'click',
  clickFlow('room.create', async (event, flow) => {
    event.preventDefault();
    const name = input.value.trim();
    if (!name) {
      showStatus('Give the room a name.', 'error');
      return;
    }
    try {
      const room = await createRoom(name);
      flow.setAttributes({ 'simplycaster.room.id': room.id });
      showStatus(`Room “${room.name}” created.`, 'ok');
      input.value = '';
      renderRooms([room, ...[...list.children].map((li) => ({ id: (li as HTMLElement).dataset.roomId!, name: li.textContent ?? '' }))]);
    } catch (error) {
      showStatus(error instanceof Error ? error.message : 'Could not create the room.', 'error');
      throw error;
    }
  }),
);

listRooms().then(renderRooms, () => showStatus('Could not load rooms.', 'error'));
