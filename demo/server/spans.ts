/**
 * Domain spans of the demo ("auth.validate_credentials", "room.create"...), children of the
 * request's SERVER span. Attributes carry ids and counts, never personal data.
 */
import { SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';

const tracer = trace.getTracer('simplycaster');

/** Runs `fn` in a span named `name`; a thrown error marks it failed and is rethrown. */
export function inSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Marks the current span failed with a reason, without an exception (an expected refusal). */
export function refuse(span: Span, reason: string): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
}
