/**
 * Test support for the server's unit tests (not part of the public API): tracing into memory
 * with the globals restored afterwards, and real servers on this checkout's port range.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createServerTracing, type ServerTracing, type ServerTracingOptions } from './tracing.ts';

/** Tracing registered globally, exporting into memory. `stop()` restores the globals. */
export interface TestTracing {
  tracing: ServerTracing;
  exporter: InMemorySpanExporter;
  /** Flushes and returns every exported span. */
  spans(): Promise<ReadableSpan[]>;
  stop(): Promise<void>;
}

export function startTestTracing(options: ServerTracingOptions = {}): TestTracing {
  const exporter = new InMemorySpanExporter();
  const tracing = createServerTracing({ store: false, exporter, exportQueue: { scheduledDelayMillis: 10 }, sampleRatio: 1, ...options });
  return {
    tracing,
    exporter,
    async spans() {
      await tracing.forceFlush();
      return exporter.getFinishedSpans();
    },
    async stop() {
      await tracing.shutdown();
    },
  };
}

// The port range this checkout may use (4600-4649): 4600/4601 are the e2e demo servers.
const FIRST_PORT = Number(process.env.FLOWTRACE_E2E_PORT ?? 4600) + 10;
const LAST_PORT = FIRST_PORT + 39;

let nextPort = FIRST_PORT;

/**
 * Listens on a free port of the range and returns its base URL. Ports rotate, so a client's
 * kept-alive socket to a closed server is never reused against the next one.
 */
export async function listen(server: Server): Promise<string> {
  for (let tries = 0; tries <= LAST_PORT - FIRST_PORT; tries++) {
    const port = nextPort;
    nextPort = nextPort >= LAST_PORT ? FIRST_PORT : nextPort + 1;
    const ok = await new Promise<boolean>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(false) : reject(error));
      server.once('error', onError);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', onError);
        resolve(true);
      });
    });
    if (ok) return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  throw new Error(`no free port in ${FIRST_PORT}-${LAST_PORT}`);
}

/** Closes a server, dropping kept-alive connections. */
export function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Polls `condition` on every turn of the event loop until it holds (no fixed sleeps). */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
