/**
 * How every server span records a failure (HTTP requests, WebSocket upgrades, async and
 * background work): an `exception` event, `error.type`, and error status. One place, so all of
 * them read the same in a trace, and none has to import the HTTP layer for it.
 */
import { SpanStatusCode, type Span } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';

/** Records `error` on `span`: an exception event, `error.type` and error status. */
export function recordError(span: Span, error: unknown): void {
  const err = error instanceof Error ? error : new Error(String(error));
  span.recordException(err);
  span.setAttribute(ATTR_ERROR_TYPE, err.name || 'Error');
  span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
}
