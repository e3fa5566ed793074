/**
 * Opt-in process signal hooks: on SIGTERM/SIGINT stop accepting connections, let in-flight
 * requests and background work finish, flush every ended span, then exit, all within a bound.
 */
import type { Server } from 'node:http';
import { drainBackground } from './background.ts';
import type { ServerTracing } from './tracing.ts';

export interface ShutdownHookOptions {
  /** Servers to close first, so in-flight requests end (and their spans with them). */
  servers?: readonly Server[];
  /** @default ['SIGTERM', 'SIGINT'] */
  signals?: readonly NodeJS.Signals[];
  /** Longest the whole shutdown may take. @default 10_000 */
  timeoutMs?: number;
  /** Runs after the servers closed, before tracing flushes (close the database here). */
  beforeFlush?: () => Promise<void> | void;
  /** Exit the process afterwards with this code; `false` leaves it running. @default 0 */
  exitCode?: number | false;
}

/**
 * Installs the hooks and returns a function that removes them (and tests the shutdown path:
 * `await hooks.run()` runs it without a signal).
 */
export function installShutdownHooks(tracing: ServerTracing, options: ShutdownHookOptions = {}) {
  const { servers = [], signals = ['SIGTERM', 'SIGINT'], timeoutMs = 10_000, beforeFlush, exitCode = 0 } = options;
  let running: Promise<void> | undefined;

  async function shutdownAll(): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const left = () => Math.max(0, deadline - Date.now());
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
            setTimeout(() => {
              server.closeAllConnections();
              resolve();
            }, left() / 2).unref();
          }),
      ),
    );
    await drainBackground(left() / 2);
    await beforeFlush?.();
    await tracing.shutdown(left());
  }

  function onSignal(): void {
    running ??= shutdownAll().finally(() => {
      if (exitCode !== false) process.exit(exitCode);
    });
  }

  for (const signal of signals) process.on(signal, onSignal);
  return {
    /** Runs the shutdown now, once. */
    run(): Promise<void> {
      running ??= shutdownAll();
      return running;
    },
    /** Removes the signal listeners. */
    remove(): void {
      for (const signal of signals) process.off(signal, onSignal);
    },
  };
}
