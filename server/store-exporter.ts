/**
 * A SpanExporter that writes server spans into the {@link TraceStore}.
 *
 * Spans go through OpenTelemetry's own OTLP/JSON serializer and back through our decoder, so
 * server spans and browser spans (which arrive as OTLP/JSON) are stored by exactly one path.
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { decodeOtlpJson } from '../otlp/otlp-json.ts';
import type { TraceStore } from './store.ts';

export class TraceStoreExporter implements SpanExporter {
  readonly #store: TraceStore;
  readonly #decoder = new TextDecoder();

  constructor(store: TraceStore) {
    this.#store = store;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    try {
      const bytes = JsonTraceSerializer.serializeRequest(spans);
      if (bytes) this.#store.add(decodeOtlpJson(JSON.parse(this.#decoder.decode(bytes)), 'server'));
      resultCallback({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      resultCallback({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  async shutdown(): Promise<void> {}
}
