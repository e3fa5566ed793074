/**
 * Work a span waits for before it ends: a recording stays open until the uploads of its chunks
 * (started in its context through `uploadWithRetry`) have finished, so their retries and failures
 * land on it.
 */
import { context, createContextKey, type Context } from '@opentelemetry/api';

/** @internal */
export interface PendingWork {
  /** Registers one piece of work; call the returned function when it is done. */
  begin(): () => void;
}

const KEY = createContextKey('flowtrace.pending_work');

/** @internal */
export function withPendingWork(ctx: Context, pending: PendingWork): Context {
  return ctx.setValue(KEY, pending);
}

/** @internal The pending-work tracker of the active context, if any. */
export function activePendingWork(): PendingWork | undefined {
  return context.active().getValue(KEY) as PendingWork | undefined;
}

/** @internal A counter that calls `onIdle` once `close()` was called and no work is pending. */
export function pendingCounter(onIdle: () => void): PendingWork & { close(): void } {
  let open = 0;
  let closed = false;
  let done = false;
  const check = () => {
    if (closed && open === 0 && !done) {
      done = true;
      onIdle();
    }
  };
  return {
    begin() {
      open++;
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        open--;
        check();
      };
    },
    close() {
      closed = true;
      check();
    },
  };
}
