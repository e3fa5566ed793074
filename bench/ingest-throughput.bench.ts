/**
 * ingest.spans_per_s: OTLP/JSON export requests of 100 spans each (browser-shaped spans: ids,
 * parent, timings, six attributes, status), POSTed over loopback HTTP (node:http, keep-alive), 8 in
 * flight, through the real ingest (parse, validate, decode) into the in-process store.
 * The server runs in a child process so the client's CPU is not billed to it (2 cores here).
 * The rate limit is off: this measures the ingest path, not the limiter.
 * ingest.spans_per_cpu_s divides by the server process's CPU time instead of wall time: the same
 * work, less sensitive to other processes competing for the two cores.
 */
import { spawn } from 'node:child_process';
import { BATCH, ingestBody, postAll } from './ingest-load.ts';

const PORT = 4742;
const BATCHES = 600;

const SERVER = `
  import { createServer } from 'node:http';
  import { createFlowtraceEndpoints, createServerTracing } from 'flowtrace/server';
  const tracing = createServerTracing({ register: false });
  const endpoints = createFlowtraceEndpoints(tracing, { rateLimit: false });
  const cpu = (res) => { const { user, system } = process.cpuUsage(); res.end(String(user + system)); };
  createServer((req, res) => endpoints(req, res, () => (req.url === '/cpu' ? cpu(res) : res.writeHead(404).end()))).listen(${PORT}, '127.0.0.1', () => console.log('ready'));
`;

async function untilReady(child: ReturnType<typeof spawn>): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`ingest server exited with ${code}`)));
  });
}

export default async function ingestThroughput(): Promise<Record<string, number>> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await untilReady(child);
    const bodies = Array.from({ length: BATCHES }, ingestBody);
    const url = `http://127.0.0.1:${PORT}/flowtrace/v1/traces`;
    const cpuMicros = async () => Number(await (await fetch(`http://127.0.0.1:${PORT}/cpu`)).text());
    await postAll(url, bodies.slice(0, 50)); // warm-up: JIT, connections
    const cpuBefore = await cpuMicros();
    const started = performance.now();
    await postAll(url, bodies);
    const seconds = (performance.now() - started) / 1000;
    const cpuSeconds = ((await cpuMicros()) - cpuBefore) / 1e6;
    return {
      'ingest.spans_per_s': Math.round((BATCHES * BATCH) / seconds),
      'ingest.spans_per_cpu_s': Math.round((BATCHES * BATCH) / cpuSeconds),
    };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}
