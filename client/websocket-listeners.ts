/**
 * The `message` listeners of a traced WebSocket, called by flowtrace itself so each runs inside
 * the context of the message it gets.
 *
 * Why not let the browser dispatch: zone.js runs every listener in the zone it was added in,
 * which would hide the message's context from the app's handler (and from what it sends next).
 * Listeners are called in the order added, with `once` and `signal` honoured; an error thrown by
 * one is reported as the browser would (`reportError`) and the others still run.
 */
import { context, type Context } from '@opentelemetry/api';

interface Entry {
  listener: EventListenerOrEventListenerObject;
  /** The context active when the listener was added: what a plain WebSocket would give it. */
  added: Context;
  once: boolean;
}

function report(error: unknown): void {
  if (typeof globalThis.reportError === 'function') globalThis.reportError(error);
  else queueMicrotask(() => {
    throw error;
  });
}

export class MessageListeners {
  #entries: Entry[] = [];
  #handler: Entry | undefined;

  add(listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void {
    if (!listener || this.#entries.some((entry) => entry.listener === listener)) return;
    const { once = false, signal } = typeof options === 'object' ? options : {};
    if (signal?.aborted) return;
    this.#entries.push({ listener, added: context.active(), once });
    signal?.addEventListener('abort', () => this.remove(listener), { once: true });
  }

  remove(listener: EventListenerOrEventListenerObject | null): void {
    this.#entries = this.#entries.filter((entry) => entry.listener !== listener);
  }

  /** The `onmessage` handler, kept in the position where it was first set, as browsers do. */
  get handler(): EventListener | null {
    return (this.#handler?.listener as EventListener | undefined) ?? null;
  }

  set handler(handler: EventListener | null) {
    if (typeof handler !== 'function') {
      if (this.#handler) this.#entries = this.#entries.filter((entry) => entry !== this.#handler);
      this.#handler = undefined;
    } else if (this.#handler) {
      this.#handler.listener = handler;
      this.#handler.added = context.active();
    } else {
      this.#handler = { listener: handler, added: context.active(), once: false };
      this.#entries.push(this.#handler);
    }
  }

  /** Calls every listener with `event`, inside `messageContext` when given. */
  dispatch(target: EventTarget, event: Event, messageContext: Context | undefined): void {
    // Listeners added during this dispatch wait for the next message, as with the browser's own.
    const snapshot = this.#entries.slice();
    for (const entry of snapshot) {
      if (!this.#entries.includes(entry)) continue;
      if (entry.once) this.remove(entry.listener);
      const { listener } = entry;
      try {
        context.with(messageContext ?? entry.added, () =>
          typeof listener === 'function' ? listener.call(target, event) : listener.handleEvent(event),
        );
      } catch (error) {
        report(error);
      }
    }
  }
}
