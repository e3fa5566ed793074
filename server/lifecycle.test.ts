import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { expect, test } from '@playwright/test';
import { createHttpMiddleware } from './http.ts';
import { createServerTracing } from './tracing.ts';
import { close, listen, until } from './test-support.ts';

/** A real HTTP "collector": records OTLP/JSON span names, answers `status`, or never answers. */
async function collector(behaviour: 'ok' | 500 | 'hang') {
  const names: string[] = [];
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (behaviour === 'hang') return;
      if (behaviour === 500) return void res.writeHead(500).end('collector broke');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string }> }> }>;
      };
      for (const rs of body.resourceSpans) for (const ss of rs.scopeSpans) for (const span of ss.spans) names.push(span.name);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const url = `${await listen(server)}/v1/traces`;
  return { server, url, names, requests: () => requests };
}

async function app(collectorUrl: string, exportTimeoutMs = 60_000) {
  const tracing = createServerTracing({
    store: false,
    register: false,
    exporter: new OTLPTraceExporter({ url: collectorUrl, timeoutMillis: exportTimeoutMs }),
    exportQueue: { maxQueueSize: 100, maxExportBatchSize: 50, scheduledDelayMillis: 1 },
  });
  const traced = createHttpMiddleware(tracing);
  const server = createServer((req, res) => traced(req, res, () => res.end('ok')));
  return { tracing, server, base: await listen(server) };
}

async function load(base: string, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i += 25) {
    const batch = await Promise.all(Array.from({ length: 25 }, () => fetch(base).then((r) => r.status)));
    statuses.push(...batch);
  }
  return statuses;
}

for (const behaviour of [500, 'hang'] as const) {
  test(`with the collector ${behaviour === 500 ? 'answering 500' : 'never answering'}, requests are unaffected and the queue stays capped`, async () => {
    const sink = await collector(behaviour);
    const { tracing, server, base } = await app(sink.url);
    try {
      const statuses = await load(base, 400);
      expect(statuses.every((status) => status === 200)).toBe(true);
      await until(() => sink.requests() > 0, 'an export attempt');
      const stats = tracing.exportStats();
      expect(stats.queued).toBeLessThanOrEqual(100);
      if (behaviour === 500) {
        await until(() => tracing.exportStats().failed > 0, 'a failed export counted');
      } else {
        expect(stats.dropped).toBeGreaterThan(0);
        expect(stats.exported).toBe(0);
      }
      // A hung collector cannot hold shutdown beyond its bound.
      expect(typeof (await tracing.shutdown(200))).toBe('boolean');
    } finally {
      await close(server);
      await close(sink.server);
    }
  });
}

test('with the collector unreachable, requests are unaffected and failures are counted', async () => {
  const probe: Server = createServer();
  const deadUrl = `${await listen(probe)}/v1/traces`;
  await close(probe);
  // The exporter retries refused connections until its timeout; keep that short here.
  const { tracing, server, base } = await app(deadUrl, 500);
  try {
    expect((await load(base, 100)).every((status) => status === 200)).toBe(true);
    await until(() => tracing.exportStats().failed > 0, 'a failed export counted');
    expect(await tracing.shutdown(2000)).toBe(true);
  } finally {
    await close(server);
  }
});

test('on SIGTERM every span ended before it, and the in-flight request, reach the collector', async () => {
  const sink = await collector('ok');
  const probe = createServer();
  const port = new URL(await listen(probe)).port;
  await close(probe);
  const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'server/fixtures/sigterm-server.ts'], {
    env: { ...process.env, PORT: port, COLLECTOR_URL: sink.url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    await until(() => output.includes('ready'), 'the traced server to listen', 20_000);
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 20; i++) expect((await fetch(`${base}/rooms`)).status).toBe(200);
    const slow = fetch(`${base}/slow`).then((r) => r.text());
    await until(() => output.includes('slow request waiting'), 'the slow request to arrive');
    expect(sink.names).toEqual([]); // nothing exported yet: the batch delay is ten minutes
    child.kill('SIGTERM');
    expect(await slow).toBe('slow');
    expect(await exited).toBe(0);
    expect(sink.names).toHaveLength(21);
    expect(sink.names.every((name) => name === 'GET')).toBe(true);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await close(sink.server);
  }
});
