/**
 * `media.recording` spans around MediaRecorder, under the flow that started the recording: from
 * `start()` to the `stop` event, with the mime type, timeslice, chunk count and bytes. The app's
 * `dataavailable` listeners run inside the recording's context, so chunk uploads are its children.
 * A recorder `error` event gives it error status and the reason. The span ends at `stop`, or
 * later when chunk uploads started with `uploadWithRetry` in its context are still running.
 * Loaded lazily (`createClientTracing({ recording: true })`).
 */
import { context, diag, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import { ATTR_REC_BYTES, ATTR_REC_CHUNKS, ATTR_REC_MIME, ATTR_REC_STATE, ATTR_REC_TIMESLICE } from './attributes.ts';
import { openWork } from './open-work.ts';

interface Recording {
  span: Span;
  ctx: Context;
  chunks: number;
  bytes: number;
  failed: boolean;
  mimeType: string;
}

type Listener = EventListenerOrEventListenerObject;

/** Patches MediaRecorder; returns the undo. */
export function instrumentMediaRecorder(): () => void {
  const Original = globalThis.MediaRecorder;
  if (typeof Original !== 'function') return () => {};

  class TracedMediaRecorder extends Original {
    #recording: Recording | undefined;
    readonly #wrapped = new WeakMap<Listener, EventListener>();
    #handler: ((event: BlobEvent) => unknown) | null = null;

    constructor(stream: MediaStream, options?: MediaRecorderOptions) {
      super(stream, options);
      // Registered first, so the counts are up to date when the app's listeners run.
      super.addEventListener('dataavailable', (event) => this.#onData(event as BlobEvent));
      super.addEventListener('error', (event) => this.#onError(event));
      super.addEventListener('stop', () => this.#finish());
      super.addEventListener('dataavailable', (event) => this.#handler?.call(this, event as BlobEvent));
    }

    override start(timeslice?: number): void {
      super.start(timeslice);
      try {
        const span = trace.getTracer('flowtrace').startSpan('media.recording', {
          attributes: timeslice === undefined ? {} : { [ATTR_REC_TIMESLICE]: timeslice },
        });
        const ctx = trace.setSpan(context.active(), span);
        this.#recording = { span, ctx, chunks: 0, bytes: 0, failed: false, mimeType: this.mimeType };
      } catch (error) {
        diag.warn('flowtrace: could not trace a recording', error);
      }
    }

    override addEventListener(type: string, listener: Listener | null, options?: boolean | AddEventListenerOptions): void {
      if (!listener) return;
      super.addEventListener(type, type === 'dataavailable' ? this.#inRecording(listener) : listener, options);
    }

    override removeEventListener(type: string, listener: Listener | null, options?: boolean | EventListenerOptions): void {
      if (!listener) return;
      super.removeEventListener(type, this.#wrapped.get(listener) ?? listener, options);
    }

    override get ondataavailable(): ((event: BlobEvent) => unknown) | null {
      return this.#handler;
    }

    override set ondataavailable(handler: ((event: BlobEvent) => unknown) | null) {
      this.#handler = typeof handler === 'function' ? (this.#inRecording(handler as EventListener) as (event: BlobEvent) => unknown) : null;
    }

    #inRecording(listener: Listener): EventListener {
      const existing = this.#wrapped.get(listener);
      if (existing) return existing;
      const recordingContext = () => this.#recording?.ctx;
      const wrapped = function flowtraceRecordingListener(this: unknown, event: Event) {
        const call = () => (typeof listener === 'function' ? listener.call(this, event) : listener.handleEvent(event));
        const ctx = recordingContext();
        return ctx ? context.with(ctx, call) : call();
      };
      this.#wrapped.set(listener, wrapped);
      return wrapped;
    }

    #onData(event: BlobEvent): void {
      const recording = this.#recording;
      if (!recording) return;
      recording.chunks++;
      recording.bytes += event.data?.size ?? 0;
      // Chromium settles the mime type once encoding starts, after start() has returned.
      recording.mimeType ||= this.mimeType || event.data?.type || '';
    }

    #onError(event: Event): void {
      const recording = this.#recording;
      if (!recording) return;
      const error = (event as Event & { error?: unknown }).error;
      const reason = `recorder error: ${error instanceof Error ? `${error.name}: ${error.message}` : 'unknown'}`;
      recording.failed = true;
      recording.span.recordException(error instanceof Error ? error : reason);
      recording.span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
    }

    #finish(): void {
      const recording = this.#recording;
      if (!recording) return;
      recording.span.setAttributes({
        [ATTR_REC_CHUNKS]: recording.chunks,
        [ATTR_REC_BYTES]: recording.bytes,
        [ATTR_REC_STATE]: recording.failed ? 'failed' : 'stopped',
        [ATTR_REC_MIME]: recording.mimeType || this.mimeType,
      });
      // Ends once stopped and every upload started in its context (its child spans, its
      // registered work) has finished, so their retries and failures land on it.
      const { span } = recording;
      openWork.whenIdle(span.spanContext().spanId, () => span.end());
    }
  }

  globalThis.MediaRecorder = TracedMediaRecorder;
  return function uninstrumentMediaRecorder() {
    globalThis.MediaRecorder = Original;
  };
}
