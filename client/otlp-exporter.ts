/**
 * A small OTLP/HTTP JSON span exporter for the page. The encoding is OpenTelemetry's own
 * (`JsonTraceSerializer`, ~0.8 KB min+gz); the transport is ours: OpenTelemetry's
 * OTLPTraceExporter brings a generic stack (retries, compression, logs API) of ~6 KB min+gz, and
 * the page needs one thing: POST the batch with `keepalive`, so a batch sent while the page
 * unloads still arrives.
 */
import { diag } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

// Chromium refuses keepalive bodies once 64 KiB are in flight; bigger batches go without it.
const KEEPALIVE_LIMIT = 60_000;

export class OtlpJsonExporter implements SpanExporter {
  readonly #url: string;
  // Taken before the fetch instrumentation wraps fetch, so exports never trace themselves.
  readonly #fetch = globalThis.fetch.bind(globalThis);
  readonly #pending = new Set<Promise<unknown>>();

  constructor(url: string) {
    this.#url = url;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    let body: Uint8Array;
    try {
      body = JsonTraceSerializer.serializeRequest(spans) ?? new Uint8Array();
    } catch (error) {
      resultCallback({ code: ExportResultCode.FAILED, error: error as Error });
      return;
    }
    const sent = this.#fetch(this.#url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // The serializer's Uint8Array is a valid fetch body; TypeScript's DOM types lag behind.
      body: body as Uint8Array<ArrayBuffer>,
      keepalive: body.byteLength < KEEPALIVE_LIMIT,
    }).then(
      (response) => {
        if (response.ok) return resultCallback({ code: ExportResultCode.SUCCESS });
        diag.warn(`flowtrace: span export answered ${response.status}`);
        resultCallback({ code: ExportResultCode.FAILED, error: new Error(`ingest answered ${response.status}`) });
      },
      (error: unknown) => {
        diag.warn('flowtrace: span export failed', error);
        resultCallback({ code: ExportResultCode.FAILED, error: error as Error });
      },
    );
    this.#pending.add(sent);
    void sent.finally(() => this.#pending.delete(sent));
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.#pending);
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
  }
}
