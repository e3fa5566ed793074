/**
 * `session.id` for the tab session and `enduser.id` once the app knows who the user is. Both go on
 * every browser span and into the `baggage` of every traced request, so the server records them too.
 */
import { diag, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_ENDUSER_ID, ATTR_SESSION_ID } from '../shared/attributes.ts';

const STORAGE_KEY = 'flowtrace.session_id';
const MAX_USER_ID = 128;

function newId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The tab's session id: kept in sessionStorage, so it survives reloads of the tab and no more. */
function tabSessionId(): string {
  try {
    const stored = sessionStorage.getItem(STORAGE_KEY);
    if (stored && /^[0-9a-f]{32}$/.test(stored)) return stored;
    const id = newId();
    sessionStorage.setItem(STORAGE_KEY, id);
    return id;
  } catch {
    // Storage can be disabled (privacy settings, sandboxed frames): a per-page id still groups spans.
    return newId();
  }
}

/** Why `id` may not be an `enduser.id`, or `undefined` when it may. */
export function userIdProblem(id: unknown): string | undefined {
  if (typeof id !== 'string' || id.trim() === '') return 'it must be a non-empty string';
  if (id.length > MAX_USER_ID) return `it is longer than ${MAX_USER_ID} characters`;
  if (id.includes('@')) return 'it looks like an email address; pass an opaque user id';
  if (/\s/.test(id)) return 'it contains whitespace; pass an opaque user id';
  return undefined;
}

/** @internal */
export class Session implements SpanProcessor {
  readonly id = tabSessionId();
  #userId: string | undefined;

  get userId(): string | undefined {
    return this.#userId;
  }

  /** Sets (or with `undefined`, clears) the user id; a value that could be personal data is refused. */
  setUser(id: string | undefined): void {
    if (id === undefined) {
      this.#userId = undefined;
      return;
    }
    const problem = userIdProblem(id);
    if (problem) {
      diag.warn(`flowtrace: setUser ignored its argument: ${problem}`);
      return;
    }
    this.#userId = id;
  }

  /** Baggage entries for outgoing requests. */
  entries(): Record<string, string> {
    return { [ATTR_SESSION_ID]: this.id, ...(this.#userId ? { [ATTR_ENDUSER_ID]: this.#userId } : {}) };
  }

  onStart(span: Span, _parentContext: Context): void {
    span.setAttributes(this.entries());
  }

  onEnd(_span: ReadableSpan): void {}

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}
