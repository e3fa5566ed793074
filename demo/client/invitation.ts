/**
 * Accepting an invite link (`/#invite=TOKEN`). The token lives in the fragment, which browsers
 * never send, and goes to the server in a request body, which flowtrace does not record.
 */
import { clickFlow } from 'flowtrace/client';
import { api } from './api.ts';
import { showRefusal, showStatus, whileBusy } from './status.ts';

function inviteToken(): string | undefined {
  const match = /^#invite=([\w-]+)$/.exec(location.hash);
  return match?.[1];
}

export function setUpInvitation(onJoined: () => void): void {
  const token = inviteToken();
  if (!token) return;
  const section = document.querySelector<HTMLElement>('#invitation')!;
  const status = document.querySelector<HTMLElement>('#invitation-status')!;
  section.hidden = false;
  const button = document.querySelector<HTMLButtonElement>('#accept-invitation')!;
  button.addEventListener(
    'click',
    clickFlow('invitation.accept', (_event, flow) => whileBusy(button, async () => {
      showStatus(status, 'Accepting the invitation…', 'pending');
      try {
        const { room } = await api.acceptInvitation(token);
        flow.setAttributes({ 'simplycaster.room.id': room.id });
        showStatus(status, `You joined “${room.name}”.`, 'ok');
        history.replaceState(null, '', location.pathname);
        onJoined();
      } catch (error) {
        showRefusal(flow, status, error, 'Could not accept the invitation.');
      }
    })),
  );
}
