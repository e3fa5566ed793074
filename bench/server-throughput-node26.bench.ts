/**
 * server.node26.*: the server-throughput pairs (server-pairs.ts) on Node 26, the Active LTS line,
 * whatever Node runs the bench. The binary comes from the npm registry's `node` package through
 * scripts/node-line.sh, installed once into a cache outside the repo.
 *
 * On Node 26 AsyncLocalStorage runs on AsyncContextFrame and context alone costs nothing, so
 * `context_only` doubles as a sanity check: outside 0.95-1.05 the run is flagged as noisy
 * (server.node26.noisy_run = 1, and a warning) rather than trusted.
 */
import { execFileSync } from 'node:child_process';
import { noisyRunWarning, runServerPairs } from './server-pairs.ts';

const PREFIX = 'server.node26.';

export default async function serverThroughputNode26(): Promise<Record<string, number>> {
  const node = execFileSync('bash', ['scripts/node-line.sh', '26'], { encoding: 'utf8' }).trim();
  const metrics = await runServerPairs({ node, prefix: PREFIX, only: process.env.BENCH_SERVER_MODES?.split(',') });
  const warning = noisyRunWarning(metrics, PREFIX);
  if (warning) console.warn(warning);
  if (`${PREFIX}throughput_ratio.context_only` in metrics) metrics[`${PREFIX}noisy_run`] = warning ? 1 : 0;
  return metrics;
}
