/**
 * Register, sign in and sign out, each as a flow. Each form shows its own messages under it and
 * marks the field the API refused; its button is busy while the request runs.
 */
import { clickFlow } from 'flowtrace/client';
import { api, ApiError, type User } from './api.ts';
import { showRefusal, showStatus, whileBusy } from './status.ts';

const element = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;

function field(form: HTMLFormElement, name: string): HTMLInputElement {
  return form.elements.namedItem(name) as HTMLInputElement;
}

/** Marks the input the API named (and clears the others), as the room form does. */
function markInvalid(form: HTMLFormElement, error: unknown): void {
  const named = error instanceof ApiError ? error.field : undefined;
  for (const input of form.querySelectorAll('input')) input.setAttribute('aria-invalid', String(input.name === named));
}

/** Shows the signed-in or signed-out view. */
export function renderAccount(user: User | null): void {
  element('#signed-out').hidden = user !== null;
  element('#signed-in').hidden = user === null;
  element('#display-name').textContent = user?.displayName ?? '';
}

/** Wires the account forms; `onChange` gets the new user (or null) after each change. */
export function setUpAccount(onChange: (user: User | null) => void): void {
  const register = element<HTMLFormElement>('#register');
  const login = element<HTMLFormElement>('#login');
  const registerStatus = element('#register-status');
  const loginStatus = element('#login-status');
  const accountStatus = element('#account-status');
  const clearAll = () => [registerStatus, loginStatus, accountStatus].forEach((status) => showStatus(status, '', 'ok'));

  const registerButton = register.querySelector('button')!;
  registerButton.addEventListener(
    'click',
    clickFlow('auth.register', (event, flow) => {
      event.preventDefault();
      clearAll();
      showStatus(registerStatus, 'Creating your account…', 'pending');
      return whileBusy(registerButton, async () => {
        try {
          const { user } = await api.register(field(register, 'displayName').value, field(register, 'email').value, field(register, 'password').value);
          register.reset();
          markInvalid(register, undefined);
          showStatus(registerStatus, '', 'ok');
          showStatus(accountStatus, `Welcome, ${user.displayName}!`, 'ok');
          onChange(user);
        } catch (error) {
          markInvalid(register, error);
          showRefusal(flow, registerStatus, error, 'Registration failed.');
        }
      });
    }),
  );

  const loginButton = login.querySelector('button')!;
  loginButton.addEventListener(
    'click',
    clickFlow('auth.login', (event, flow) => {
      event.preventDefault();
      clearAll();
      showStatus(loginStatus, 'Signing in…', 'pending');
      return whileBusy(loginButton, async () => {
        try {
          const { user } = await api.login(field(login, 'email').value, field(login, 'password').value);
          login.reset();
          markInvalid(login, undefined);
          // The signed-in view says "Signed in as …" already: the status does not repeat it.
          showStatus(loginStatus, '', 'ok');
          showStatus(accountStatus, `Welcome back, ${user.displayName}!`, 'ok');
          onChange(user);
        } catch (error) {
          field(login, 'password').value = '';
          markInvalid(login, error);
          showRefusal(flow, loginStatus, error, 'Sign-in failed.');
        }
      });
    }),
  );

  const logoutButton = element<HTMLButtonElement>('#logout');
  logoutButton.addEventListener(
    'click',
    clickFlow('auth.logout', (_event, flow) =>
      whileBusy(logoutButton, async () => {
        clearAll();
        try {
          await api.logout();
          showStatus(accountStatus, 'Signed out.', 'ok');
          onChange(null);
        } catch (error) {
          showRefusal(flow, accountStatus, error, 'Could not sign out.');
        }
      }),
    ),
  );
}
