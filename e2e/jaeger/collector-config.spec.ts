/**
 * docs/collector.md's Collector configuration, run as written: Jaeger v2 is a distribution of the
 * OpenTelemetry Collector with the same `otlp` receiver, `batch` processor and `otlphttp`/`otlp`
 * exporters, so its binary runs the documented YAML. Only the addresses change (to this machine's
 * ports), and its own metrics endpoint is switched off (a fixed port). A span sent to it must reach
 * both flowtrace's ingest (read back from the demo's trace API) and Jaeger.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { browserExport, hex, jaegerTrace } from './otlp.ts';
import { STACK_PORTS, url } from './ports.ts';
import { expect, test } from './fixtures.ts';

const root = resolve(import.meta.dirname, '../..');
// The e2e-pglite demo (playwright.config.ts), whose store the flowtrace exporter feeds.
const FLOWTRACE = url(Number(process.env.FLOWTRACE_E2E_PORT ?? 4310));
// Past the stack's ports and the benches' (E2E port + 50 to + 77); the stack's + 59 would be
// 4369 by default, which RabbitMQ's port mapper (epmd) holds on these machines.
const COLLECTOR = { grpc: Number(process.env.FLOWTRACE_E2E_PORT ?? 4310) + 88, http: Number(process.env.FLOWTRACE_E2E_PORT ?? 4310) + 89 };

function documentedConfig(): string {
  const doc = readFileSync(join(root, 'docs/collector.md'), 'utf8');
  const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!yaml) throw new Error('docs/collector.md has no yaml block');
  return yaml;
}

test('the Collector configuration in docs/collector.md runs, and fans a span out to flowtrace and to Jaeger', async ({ request, stack }) => {
  test.setTimeout(60_000);
  const documented = documentedConfig();
  const local = documented
    .replaceAll('0.0.0.0:4317', `127.0.0.1:${COLLECTOR.grpc}`)
    .replaceAll('0.0.0.0:4318', `127.0.0.1:${COLLECTOR.http}`)
    .replaceAll('https://staging.example.com/flowtrace', `${FLOWTRACE}/flowtrace`)
    .replaceAll('jaeger:4317', `127.0.0.1:${STACK_PORTS.otlpGrpc}`);
  // Every address the doc names was replaced: the rest is the documented configuration itself.
  expect(local).not.toMatch(/0\.0\.0\.0|example\.com|jaeger:4317/);
  const file = join(tmpdir(), `flowtrace-collector-doc-${STACK_PORTS.control}.yaml`);
  writeFileSync(file, local);

  const bin = execFileSync('bash', [join(root, 'scripts/jaeger.sh'), '--no-build'], { encoding: 'utf8' }).trim();
  const collector = spawn(bin, ['--config', `file:${file}`, '--set', 'service.telemetry.metrics.level=none'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  collector.stderr.on('data', (chunk: Buffer) => (log += String(chunk)));
  try {
    const traceId = hex(16);
    const now = BigInt(Date.now()) * 1_000_000n;
    const body = browserExport({
      traceId,
      name: 'collector.fanout',
      startTimeUnixNano: `${now}`,
      endTimeUnixNano: `${now + 1_000_000n}`,
      attributes: { 'flowtrace.test_id': { stringValue: `collector-${traceId}` } },
    });
    // The receiver is up once it answers; retried until then (the process starts in ~100 ms).
    await expect
      .poll(async () => (await request.post(`${url(COLLECTOR.http)}/v1/traces`, { data: body }).catch(() => null))?.status(), {
        message: `the Collector did not accept the export: ${log}`,
        timeout: 20_000,
      })
      .toBe(200);

    // flowtrace's ingest got it (through otlphttp, protobuf, gzip) and stored it.
    await expect
      .poll(async () => (await (await request.get(`${FLOWTRACE}/flowtrace/api/traces/${traceId}`)).json()).spans?.[0]?.name, { timeout: 15_000 })
      .toBe('collector.fanout');
    // And Jaeger did (through otlp, gRPC).
    await expect
      .poll(async () => (await jaegerTrace(request, stack.jaeger, traceId).catch(() => []))[0]?.scopeSpans[0]?.spans[0]?.name, { timeout: 15_000 })
      .toBe('collector.fanout');
  } finally {
    // A Collector that could not start has exited already; waiting for its exit would never end.
    if (collector.exitCode === null && collector.signalCode === null) {
      const exited = new Promise((done) => collector.once('exit', done));
      collector.kill('SIGTERM');
      await exited;
    }
  }
});
