/**
 * The pairwise method behind server-throughput*.bench.ts, made for a shared, noisy machine.
 *
 * A ratio of two medians measured minutes apart moves with whatever else the machine did in
 * between (one run read the untraced server at 36k req/s, another at 84k). So each traced mode is
 * measured in pairs: its baseline server and the traced server are both started and warmed, then
 * autocannon (50 connections, its own process) loads one and straight after the other, alternating
 * which goes first so a drift in load cancels. Each pair gives one ratio; a mode's figure is the
 * median of PAIRS (default 5, at least 5) ratios, with the lowest and highest beside it.
 *
 * The servers and the load generator run on a chosen Node binary (the machine's, or one from
 * scripts/node-line.sh) with `--import tsx`: Node 26's own type stripping refuses TypeScript
 * parameter properties, which the server code uses.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spread, type Spread } from './stats.ts';

/** A traced mode of server-target.ts and the mode it is compared with. */
interface PairSpec {
  metric: string;
  mode: string;
  base: 'untraced' | 'db_untraced';
}

const PAIR_SPECS: readonly PairSpec[] = [
  { metric: 'context_only', mode: 'context_only', base: 'untraced' },
  { metric: 'sampled_0', mode: 'sampled_0_noexport', base: 'untraced' },
  { metric: 'sdk_floor_noexport', mode: 'sdk_floor_noexport', base: 'untraced' },
  { metric: 'sdk_floor', mode: 'sdk_floor', base: 'untraced' },
  { metric: 'sampled_10_noexport', mode: 'sampled_10_noexport', base: 'untraced' },
  { metric: 'sampled_10', mode: 'sampled_10', base: 'untraced' },
  { metric: 'sampled_100_noexport', mode: 'sampled_100_noexport', base: 'untraced' },
  { metric: 'sampled_100', mode: 'sampled_100', base: 'untraced' },
  { metric: 'otel_http_noexport', mode: 'otel_http_noexport', base: 'untraced' },
  { metric: 'otel_http', mode: 'otel_http', base: 'untraced' },
  { metric: 'db_context_only', mode: 'db_context_only', base: 'db_untraced' },
  { metric: 'db_route_sampled_10', mode: 'db_traced_10', base: 'db_untraced' },
  { metric: 'db_route', mode: 'db_traced', base: 'db_untraced' },
];

/** How to run the pairs. */
export interface PairsOptions {
  /** The Node binary the servers and the load generator run on. */
  node: string;
  /** Metric name prefix, `server.` or `server.node26.`. */
  prefix: string;
  /** Only these metrics (names as in results.json, without prefix); all when empty. */
  only?: readonly string[];
  /** Pairs per mode. @default BENCH_PAIRS or 5 */
  pairs?: number;
  /** Seconds per load run. @default BENCH_DURATION_S or 3 */
  seconds?: number;
  /** The two servers listen on this port and the next. @default BENCH_SERVER_PORT or 4630 */
  port?: number;
}

interface Sample {
  rps: number;
  perCpuSecond: number;
}

interface Target {
  child: ChildProcess;
  url: string;
}

interface TargetCounters {
  cpuMicros: number;
  served: number;
  exportStats?: { dropped: number };
}

function autocannon(node: string, url: string, seconds: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, ['node_modules/autocannon/autocannon.js', '-c', '50', '-d', String(seconds), '-j', url], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}`));
      const result = JSON.parse(out) as { requests: { average: number }; non2xx: number; errors: number };
      if (result.non2xx > 0 || result.errors > 0) return reject(new Error(`load run had ${result.non2xx} non-2xx and ${result.errors} errors`));
      resolve(result.requests.average);
    });
  });
}

function counters(target: Target): Promise<TargetCounters> {
  return new Promise((resolve) => {
    target.child.once('message', (message) => resolve(message as TargetCounters));
    target.child.send('sample');
  });
}

async function startTarget(node: string, mode: string, port: number, sinkUrl: string): Promise<Target> {
  const child = fork('bench/server-target.ts', [], {
    execPath: node,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_MODE: mode, PORT: String(port), SINK_URL: sinkUrl, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`server-target ${mode} exited with ${code}`)));
  });
  return { child, url: `http://127.0.0.1:${port}/api/ping` };
}

async function stopTarget(target: Target): Promise<void> {
  const exited = new Promise((resolve) => target.child.once('exit', resolve));
  target.child.kill('SIGKILL');
  await exited;
}

async function load(node: string, target: Target, seconds: number): Promise<Sample & { dropped: number }> {
  const before = await counters(target);
  const rps = await autocannon(node, target.url, seconds);
  const after = await counters(target);
  return {
    rps,
    perCpuSecond: (after.served - before.served) / ((after.cpuMicros - before.cpuMicros) / 1e6),
    dropped: (after.exportStats?.dropped ?? 0) - (before.exportStats?.dropped ?? 0),
  };
}

/** One mode's pairs: the ratio of each, and the traced server's extra µs per request over its base. */
interface PairResult {
  ratio: Spread;
  cpuRatio: Spread;
  overheadMicros: Spread;
  baseRps: number;
  dropped: number;
}

async function runPairs(spec: PairSpec, options: Required<Omit<PairsOptions, 'only' | 'prefix'>>, sinkUrl: string): Promise<PairResult> {
  const { node, pairs, seconds, port } = options;
  const base = await startTarget(node, spec.base, port, sinkUrl);
  let traced: Target | undefined;
  try {
    traced = await startTarget(node, spec.mode, port + 1, sinkUrl);
    // Warm-up: JIT, connection setup, the exporter's first batches.
    await autocannon(node, base.url, 1);
    await autocannon(node, traced.url, 1);
    const ratios: number[] = [];
    const cpuRatios: number[] = [];
    const overheads: number[] = [];
    const baseRps: number[] = [];
    let dropped = 0;
    for (let i = 0; i < pairs; i++) {
      // Alternate the order, so a machine getting busier or quieter during a pair cancels out.
      let b: Sample, t: Sample & { dropped: number };
      if (i % 2 === 0) {
        b = await load(node, base, seconds);
        t = await load(node, traced, seconds);
      } else {
        t = await load(node, traced, seconds);
        b = await load(node, base, seconds);
      }
      ratios.push(t.rps / b.rps);
      cpuRatios.push(t.perCpuSecond / b.perCpuSecond);
      overheads.push(1e6 / t.rps - 1e6 / b.rps);
      baseRps.push(b.rps);
      dropped += t.dropped;
      console.log(
        `  ${spec.metric.padEnd(22)} pair ${i + 1}: ${Math.round(b.rps)} -> ${Math.round(t.rps)} req/s  ratio ${(t.rps / b.rps).toFixed(3)} (per CPU-s ${(t.perCpuSecond / b.perCpuSecond).toFixed(3)})${t.dropped ? `, ${t.dropped} spans dropped` : ''}`,
      );
    }
    return { ratio: spread(ratios), cpuRatio: spread(cpuRatios), overheadMicros: spread(overheads), baseRps: spread(baseRps).median, dropped };
  } finally {
    await stopTarget(base);
    if (traced) await stopTarget(traced);
  }
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;
const round2 = (value: number) => Math.round(value * 100) / 100;

/** Runs every (or the chosen) mode in pairs and returns the metrics under `prefix`. */
export async function runServerPairs(options: PairsOptions): Promise<Record<string, number>> {
  const resolved = {
    node: options.node,
    pairs: Math.max(5, options.pairs ?? Number(process.env.BENCH_PAIRS ?? 5)),
    seconds: options.seconds ?? Number(process.env.BENCH_DURATION_S ?? 3),
    port: options.port ?? Number(process.env.BENCH_SERVER_PORT ?? 4630),
  };
  const specs = options.only?.length ? PAIR_SPECS.filter((spec) => options.only!.includes(spec.metric)) : PAIR_SPECS;
  let exportedBatches = 0;
  const sink = createServer((req, res) => {
    req.resume();
    req.once('end', () => {
      exportedBatches++;
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/v1/traces`;
  const p = options.prefix;
  const metrics: Record<string, number> = {};
  try {
    let dropped = 0;
    for (const spec of specs) {
      const result = await runPairs(spec, resolved, sinkUrl);
      dropped += result.dropped;
      metrics[`${p}throughput_ratio.${spec.metric}`] = round3(result.ratio.median);
      metrics[`${p}throughput_ratio.${spec.metric}_min`] = round3(result.ratio.min);
      metrics[`${p}throughput_ratio.${spec.metric}_max`] = round3(result.ratio.max);
      metrics[`${p}overhead_us.${spec.metric}`] = round2(result.overheadMicros.median);
      metrics[`${p}cpu_ratio.${spec.metric}`] = round3(result.cpuRatio.median);
      if (spec.metric === 'context_only') metrics[`${p}untraced_req_per_s`] = Math.round(result.baseRps);
    }
    if (exportedBatches === 0 && specs.some((spec) => !/context|noexport/.test(spec.mode))) {
      throw new Error('no traced server exported anything to the sink');
    }
    metrics[`${p}export_dropped_spans`] = dropped;
    return metrics;
  } finally {
    sink.closeAllConnections();
    await new Promise((resolve) => sink.close(resolve));
  }
}

/**
 * Where AsyncLocalStorage runs on AsyncContextFrame (Node 24 and later), context alone costs
 * nothing, so `context_only` must read 0.95-1.05; outside that band the machine, not the code,
 * moved the figures. Returns a warning, or undefined when the run looks sane.
 */
export function noisyRunWarning(metrics: Record<string, number>, prefix: string): string | undefined {
  const ratio = metrics[`${prefix}throughput_ratio.context_only`];
  if (ratio === undefined || (ratio >= 0.95 && ratio <= 1.05)) return undefined;
  return `NOISY RUN: ${prefix}throughput_ratio.context_only read ${ratio}, outside 0.95-1.05; the machine was too busy for these figures`;
}
