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
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';

const PORT = 4742;
const BATCH = 100;
const BATCHES = 600;
const IN_FLIGHT = 8;

const SERVER = `
  import { createServer } from 'node:http';
  import { createFlowtraceEndpoints, createServerTracing } from 'flowtrace/server';
  const tracing = createServerTracing({ register: false });
  const endpoints = createFlowtraceEndpoints(tracing, { rateLimit: false });
  const cpu = (res) => { const { user, system } = process.cpuUsage(); res.end(String(user + system)); };
  createServer((req, res) => endpoints(req, res, () => (req.url === '/cpu' ? cpu(res) : res.writeHead(404).end()))).listen(${PORT}, '127.0.0.1', () => console.log('ready'));
`;

const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });

function body(): string {
  const traceId = randomBytes(16).toString('hex');
  const root = randomBytes(8).toString('hex');
  const start = BigInt(Date.now()) * 1_000_000n;
  const spans = Array.from({ length: BATCH }, (_, i) => ({
    traceId,
    spanId: i === 0 ? root : randomBytes(8).toString('hex'),
    ...(i === 0 ? {} : { parentSpanId: root }),
    name: i === 0 ? 'room.create' : 'POST',
    kind: i === 0 ? 1 : 3,
    startTimeUnixNano: String(start + BigInt(i) * 1000n),
    endTimeUnixNano: String(start + BigInt(i) * 1000n + 500_000n),
    attributes: [
      attr('http.request.method', 'POST'),
      attr('url.full', 'http://127.0.0.1:3000/api/rooms'),
      attr('flowtrace.test_id', 'bench'),
      attr('flowtrace.flow.name', 'room.create'),
      { key: 'http.response.status_code', value: { intValue: 201 } },
      attr('user_agent.original', 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0'),
    ],
    status: { code: 0 },
  }));
  return JSON.stringify({
    resourceSpans: [{ resource: { attributes: [attr('service.name', 'simplycaster-web')] }, scopeSpans: [{ scope: { name: 'flowtrace' }, spans }] }],
  });
}

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
    const bodies = Array.from({ length: BATCHES }, body);
    // node:http with keep-alive: lighter per request than fetch, so the client does not dominate.
    const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
    const send = (payload: string) =>
      new Promise<void>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port: PORT, path: '/flowtrace/v1/traces', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`ingest answered ${res.statusCode}: ${Buffer.concat(chunks)}`))));
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    const run = async (payloads: string[]) => {
      let next = 0;
      await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
        while (next < payloads.length) await send(payloads[next++]!);
      }));
    };
    const cpuMicros = async () => Number(await (await fetch(`http://127.0.0.1:${PORT}/cpu`)).text());
    await run(bodies.slice(0, 50)); // warm-up: JIT, connections
    const cpuBefore = await cpuMicros();
    const started = performance.now();
    await run(bodies);
    const seconds = (performance.now() - started) / 1000;
    const cpuSeconds = ((await cpuMicros()) - cpuBefore) / 1e6;
    agent.destroy();
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
