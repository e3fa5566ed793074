/** Request ids: honour a well-formed incoming `X-Request-Id`, otherwise mint one. */
import { randomUUID } from 'node:crypto';

/** The header carrying the request id, both ways. */
export const REQUEST_ID_HEADER = 'x-request-id';

// Printable, no spaces or separators that could forge log lines or headers; bounded length.
const VALID = /^[\w.:@/+=-]{1,128}$/;

/** The incoming id when it is well-formed, else a new UUID. */
export function requestIdFrom(incoming: string | string[] | undefined | null): string {
  return typeof incoming === 'string' && VALID.test(incoming) ? incoming : randomUUID();
}
