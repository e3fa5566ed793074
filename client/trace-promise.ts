/**
 * A span around one promise-returning browser call: ok when it resolves, error with the reason
 * when it rejects. The call's own result or error reaches the caller unchanged; the SDK's hooks
 * never throw into the page.
 */
import { diag, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';

export interface TracePromiseHooks<T> {
  onOk?: (span: Span, value: T) => void;
  onError?: (span: Span, error: unknown) => void;
}

function safely(what: string, fn: () => void): void {
  try {
    fn();
  } catch (error) {
    diag.warn(`flowtrace: ${what} failed`, error);
  }
}

/** @internal */
export function tracePromise<T>(name: string, attributes: Attributes, parent: Context, call: () => Promise<T>, hooks: TracePromiseHooks<T> = {}): Promise<T> {
  const span = trace.getTracer('flowtrace').startSpan(name, { attributes }, parent);
  let promise: Promise<T>;
  try {
    promise = call();
  } catch (error) {
    safely(name, () => fail(span, error, hooks));
    throw error;
  }
  return Promise.resolve(promise).then(
    (value) => {
      safely(name, () => {
        hooks.onOk?.(span, value);
        span.end();
      });
      return value;
    },
    (error: unknown) => {
      safely(name, () => fail(span, error, hooks));
      throw error;
    },
  );
}

function fail<T>(span: Span, error: unknown, hooks: TracePromiseHooks<T>): void {
  hooks.onError?.(span, error);
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  span.recordException(error instanceof Error ? error : reason);
  span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
  span.end();
}
