/**
 * Feedback while and after a request runs: status text, busy buttons, and refusals the page
 * handles (shown where they belong, recorded on the flow, and kept out of the console).
 */
import type { Flow } from 'flowtrace/client';
import { ApiError } from './api.ts';

/** Writes a message into a `role=status` element, marked for styling and tests; `pending` while a request runs. */
export function showStatus(element: HTMLElement, text: string, state: 'ok' | 'warning' | 'error' | 'pending'): void {
  element.textContent = text;
  element.dataset.state = state;
}

export function errorMessage(error: unknown, fallback: string): string {
  return error instanceof Error && error.message ? error.message : fallback;
}

/**
 * Runs `work` with `button` disabled and marked busy: it shows that it is working and cannot be
 * pressed twice (a disabled button gets no click, and Enter in the form "clicks" it).
 */
export async function whileBusy<T>(button: HTMLButtonElement, work: () => Promise<T>): Promise<T> {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

/**
 * Shows a failed request in `element`. A refusal the API explained (an {@link ApiError}: 400, 401,
 * 409…) is handled: the flow ends as `error` with the message the user saw, and nothing is thrown
 * (an uncaught rejection would log a stack in the console for a case the page handled). Anything
 * else is unexpected and rethrown, so it stays visible.
 */
export function showRefusal(flow: Flow, element: HTMLElement, error: unknown, fallback: string): void {
  showStatus(element, errorMessage(error, fallback), 'error');
  if (!(error instanceof ApiError)) throw error;
  flow.setAttributes({ 'simplycaster.api.status': error.status, ...(error.field ? { 'simplycaster.validation.field': error.field } : {}) });
  flow.fail(error.message);
}
