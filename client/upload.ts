/**
 * `uploadWithRetry`: fetch with retries for media chunks. Each attempt is a traced fetch (a child
 * of the recording or flow it runs in); a failed attempt and each retry are recorded as events on
 * that parent, and when every attempt fails, or the server refuses the chunk (4xx), the parent
 * gets error status with the reason.
 */
import { context, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { EVENT_REC_UPLOAD_FAILED, EVENT_REC_UPLOAD_RETRY } from './attributes.ts';
import { openWork } from './open-work.ts';

export interface UploadOptions {
  /** Attempts in all, the first included. @default 3 */
  attempts?: number;
  /** Extra `fetch` init; the method defaults to POST. */
  init?: RequestInit;
}

/**
 * Sends `body` to `url`, retrying on a network error or a 5xx answer; a 4xx answer is a refusal
 * and final. Resolves with the last response (which may be an error answer), or rejects with the
 * last network error; the caller decides what a failed upload means for the app.
 */
export async function uploadWithRetry(url: string, body: BodyInit, options: UploadOptions = {}): Promise<Response> {
  // The recording (or click flow) this upload belongs to waits for it before it ends, retries included.
  const owner = trace.getActiveSpan();
  const done = owner ? openWork.begin(owner.spanContext().spanId) : undefined;
  try {
    return await attemptUpload(url, body, options);
  } finally {
    done?.();
  }
}

/** Records on the parent that the upload is over, and failed. */
function giveUp(parent: Span | undefined, attempt: number, reason: string, message: string): void {
  parent?.addEvent(EVENT_REC_UPLOAD_FAILED, { attempt, reason, final: true });
  parent?.setStatus({ code: SpanStatusCode.ERROR, message });
}

async function attemptUpload(url: string, body: BodyInit, { attempts = 3, init = {} }: UploadOptions): Promise<Response> {
  // The SDK ships untransformed (it sits in node_modules): it carries its context across its own
  // awaits itself, so every retry is a child of the same parent.
  const ctx = context.active();
  const parent = trace.getSpan(ctx);
  for (let attempt = 1; ; attempt++) {
    let failure: string;
    try {
      const response = await context.with(ctx, () => fetch(url, { method: 'POST', ...init, body }));
      if (response.status < 400) return response;
      failure = `HTTP ${response.status}`;
      // The server looked at the chunk and said no (a duplicate, too large): retrying repeats that.
      if (response.status < 500) {
        giveUp(parent, attempt, failure, `chunk upload refused: ${failure}`);
        return response;
      }
      if (attempt >= attempts) {
        giveUp(parent, attempt, failure, `chunk upload failed after ${attempt} attempts: ${failure}`);
        return response;
      }
    } catch (error) {
      failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      if (attempt >= attempts) {
        giveUp(parent, attempt, failure, `chunk upload failed after ${attempt} attempts: ${failure}`);
        throw error;
      }
    }
    parent?.addEvent(EVENT_REC_UPLOAD_FAILED, { attempt, reason: failure, final: false });
    parent?.addEvent(EVENT_REC_UPLOAD_RETRY, { attempt: attempt + 1 });
  }
}
