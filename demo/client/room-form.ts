/**
 * The "Create a room" form, for signed-in users. One click is the `room.create` flow: the API
 * call (whose server side checks the session, validates and stores the room), then `webrtc.init`,
 * which gets this browser ready for the room's calls. A refused field is marked on the form.
 */
import { clickFlow } from 'flowtrace/client';
import { api, ApiError, type NewRoom, type RecordingMode, type User } from './api.ts';
import { addRoom } from './rooms.ts';
import { showRefusal, showStatus, whileBusy } from './status.ts';
import { initWebRtc } from './webrtc-init.ts';

const element = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;

/** The form's fields by the API's names for them. */
function fields() {
  return {
    name: element<HTMLInputElement>('#room-name'),
    maxParticipants: element<HTMLInputElement>('#room-max-participants'),
    recordingMode: element<HTMLSelectElement>('#room-recording-mode'),
  };
}

/** What the form asks for. An empty number field is left to the server's default; anything else is sent as typed. */
function readForm(): NewRoom {
  const { name, maxParticipants, recordingMode } = fields();
  const room: NewRoom = { name: name.value.trim(), recordingMode: recordingMode.value as RecordingMode };
  if (maxParticipants.value !== '' || maxParticipants.validity.badInput) room.maxParticipants = Number(maxParticipants.value);
  return room;
}

function markInvalid(field: string | undefined): void {
  for (const [name, input] of Object.entries(fields())) input.setAttribute('aria-invalid', String(name === field));
}

/** Shows the form to a signed-in user, and a sentence saying how to get it to anyone else. */
export function showRoomForm(user: User | null): void {
  element('#create-room').hidden = user === null;
  element('#create-signed-out').hidden = user !== null;
}

export function setUpRoomForm(): void {
  const form = element<HTMLFormElement>('#create-room');
  const status = element('#create-status');
  // Pressing Enter in an input "clicks" the submit button, so one click handler covers both.
  const button = form.querySelector('button')!;
  button.addEventListener(
    'click',
    clickFlow('room.create', (event, flow) => {
      event.preventDefault();
      const asked = readForm();
      if (!asked.name) {
        markInvalid('name');
        showStatus(status, 'Give the room a name.', 'error');
        // The trace tells what the page told: a refused form, not a success.
        flow.setAttributes({ 'simplycaster.validation.field': 'name', 'simplycaster.validation.failure': 'name_missing' });
        flow.fail('Give the room a name.');
        return;
      }
      showStatus(status, 'Creating the room…', 'pending');
      return whileBusy(button, async () => {
        try {
          const room = await api.createRoom(asked);
          flow.setAttributes({
            'simplycaster.room.id': room.id,
            'simplycaster.room.max_participants': room.maxParticipants,
            'simplycaster.room.recording_mode': room.recordingMode,
          });
          markInvalid(undefined);
          form.reset();
          addRoom(room);
          const created = `Room “${room.name}” created.`;
          showStatus(status, created, 'ok');
          // The user need not wait for the call check (ICE gathering, about 130 ms): the room is
          // theirs already. The flow stays open until the check ends, so its trace holds it.
          const webrtc = await initWebRtc();
          if (!webrtc.ok) showStatus(status, `${created} This browser may not support calls (${webrtc.reason}).`, 'warning');
        } catch (error) {
          markInvalid(error instanceof ApiError ? error.field : undefined);
          showRefusal(flow, status, error, 'Could not create the room.');
        }
      });
    }),
  );
}
