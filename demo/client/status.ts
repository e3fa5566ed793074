/** Writes a message into a `role=status` element, marked ok, warning or error for styling and tests. */
export function showStatus(element: HTMLElement, text: string, state: 'ok' | 'warning' | 'error'): void {
  element.textContent = text;
  element.dataset.state = state;
}

export function errorMessage(error: unknown, fallback: string): string {
  return error instanceof Error && error.message ? error.message : fallback;
}
