/**
 * server.throughput_ratio.*: requests per second of a traced server over the same server untraced,
 * on the machine's Node, measured in back-to-back pairs (server-pairs.ts): each ratio is the
 * median of at least five pairs, with `_min` and `_max` beside it. server.overhead_us.* is the
 * traced server's extra main-thread time per request over its base, from the same pairs.
 *
 * server.cpu_ratio.* are the same ratios in requests per CPU-second of the server process: a
 * stricter view that also charges work done off the main thread (GC helpers, the exporter's
 * socket), which raw req/s hides while a core is spare.
 *
 * Traced servers export OTLP/HTTP protobuf to a sink in this process that drains and answers 200;
 * spans the export queue dropped are counted (a ratio earned by dropping spans would flatter).
 * The `_noexport` modes create spans and export nothing: DESIGN.md's anchor (instrumentation-http
 * at 0.57) was measured that way. See server-target.ts for the modes.
 *
 * BENCH_SERVER_MODES=context_only,sampled_10 runs some metrics only; BENCH_PAIRS, BENCH_DURATION_S
 * and BENCH_SERVER_PORT (two consecutive ports, default 4630) tune the run.
 */
import { runServerPairs } from './server-pairs.ts';

export default function serverThroughput(): Promise<Record<string, number>> {
  return runServerPairs({ node: process.execPath, prefix: 'server.', only: process.env.BENCH_SERVER_MODES?.split(',') });
}
