/** Register, sign in and sign out, each as a flow. */
import { clickFlow } from 'flowtrace/client';
import { api, type User } from './api.ts';
import { errorMessage, showStatus } from './status.ts';

const status = () => document.querySelector<HTMLElement>('#account-status')!;

function field(form: HTMLFormElement, name: string): string {
  return (form.elements.namedItem(name) as HTMLInputElement).value;
}

/** Shows the signed-in or signed-out view. */
export function renderAccount(user: User | null): void {
  document.querySelector<HTMLElement>('#signed-out')!.hidden = user !== null;
  document.querySelector<HTMLElement>('#signed-in')!.hidden = user === null;
  document.querySelector<HTMLElement>('#display-name')!.textContent = user?.displayName ?? '';
}

/** Wires the account forms; `onChange` gets the new user (or null) after each change. */
export function setUpAccount(onChange: (user: User | null) => void): void {
  const register = document.querySelector<HTMLFormElement>('#register')!;
  const login = document.querySelector<HTMLFormElement>('#login')!;

  register.querySelector('button')!.addEventListener(
    'click',
    clickFlow('auth.register', async (event) => {
      event.preventDefault();
      try {
        const { user } = await api.register(field(register, 'displayName'), field(register, 'email'), field(register, 'password'));
        register.reset();
        showStatus(status(), `Welcome, ${user.displayName}!`, 'ok');
        onChange(user);
      } catch (error) {
        showStatus(status(), errorMessage(error, 'Registration failed.'), 'error');
        throw error;
      }
    }),
  );

  login.querySelector('button')!.addEventListener(
    'click',
    clickFlow('auth.login', async (event) => {
      event.preventDefault();
      try {
        const { user } = await api.login(field(login, 'email'), field(login, 'password'));
        login.reset();
        showStatus(status(), `Signed in as ${user.displayName}.`, 'ok');
        onChange(user);
      } catch (error) {
        (login.elements.namedItem('password') as HTMLInputElement).value = '';
        showStatus(status(), errorMessage(error, 'Sign-in failed.'), 'error');
        throw error;
      }
    }),
  );

  document.querySelector('#logout')!.addEventListener(
    'click',
    clickFlow('auth.logout', async () => {
      await api.logout();
      showStatus(status(), 'Signed out.', 'ok');
      onChange(null);
    }),
  );
}
