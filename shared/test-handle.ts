/**
 * The handshake between a page and the flowtrace/testing fixture. The fixture defines
 * `globalThis.__FLOWTRACE_TEST__` with a test id before any page script runs; the browser SDK adds
 * the id to the baggage of everything the page sends and attaches `settle()` for the fixture.
 * Without the fixture the global is absent and none of this runs.
 */

/** The global the testing fixture and the browser SDK share. */
export interface FlowtraceTestHandle {
  testId: string;
  /**
   * Set by the SDK: waits up to `waitMs` for open spans to end, exports every ended span, and
   * reports how many are still open.
   */
  settle?: (waitMs?: number) => Promise<{ openSpans: number }>;
}

declare global {
  var __FLOWTRACE_TEST__: FlowtraceTestHandle | undefined;
}

/** The fixture's handle when running under flowtrace/testing, else `undefined`. */
export function testHandle(): FlowtraceTestHandle | undefined {
  const handle = globalThis.__FLOWTRACE_TEST__;
  return handle && typeof handle.testId === 'string' && handle.testId !== '' ? handle : undefined;
}
