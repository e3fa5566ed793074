/**
 * The SimplyCaster app shell: flowtrace is initialised once, then each user action runs as a flow.
 */
import { renderAccount, setUpAccount } from './account.ts';
import { api, type User } from './api.ts';
import { setUpInvitation } from './invitation.ts';
import { setUpRoomForm, showRoomForm } from './room-form.ts';
import { loadRooms, setRoomsUser } from './rooms.ts';
import { showStatus } from './status.ts';
import { startTracing } from './tracing.ts';

startTracing();

// A demo records every flow (production builds default to 10 %), and its e2e tests run this
// production build, so it answers the test fixture too.

function signedIn(user: User | null): void {
  renderAccount(user);
  showRoomForm(user);
  setRoomsUser(user);
}

setUpAccount(signedIn);
setUpRoomForm();
setUpInvitation(() => void loadRooms());

Promise.all([api.me(), loadRooms()]).then(
  ([{ user }]) => signedIn(user),
  () => showStatus(document.querySelector('#create-status')!, 'Could not load the studio.', 'error'),
);
