/**
 * The e2e-jaeger stack, started by Playwright as a web server that does nothing until asked: a real
 * Jaeger v2 (in memory), two demo instances sharing one PostgreSQL with their store off, exporting
 * to Jaeger, and the round-robin balancer in front of them. Its control API (on STACK_PORTS.control):
 *
 * - `POST /up`: starts whatever is not running; 424 with the reason when Jaeger or PostgreSQL is missing
 * - `POST /down`: stops it all (the teardown project; SIGTERM does the same)
 * - `POST /jaeger/stop`, `POST /jaeger/start`: a Jaeger outage, for the outage spec
 * - `GET /upgrades`: which instance each WebSocket upgrade went to
 * - `GET /status`: whether it is up, or why not; `GET /memory`: each instance's resident memory
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createBalancer, type Balancer } from './balancer.ts';
import { STACK_PORTS, url } from './ports.ts';

const root = resolve(import.meta.dirname, '../..');
let jaeger: ChildProcess | undefined;
let instances: ChildProcess[] = [];
let balancer: Balancer | undefined;

/** What is missing to run the stack, or undefined. */
function missing(): string | undefined {
  if (!process.env.DATABASE_URL) return 'the two instances share one PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test';
  try {
    execFileSync('bash', [join(root, 'scripts/jaeger.sh'), '--no-build'], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    return String((error as { stderr?: Buffer }).stderr ?? error).trim();
  }
  return undefined;
}

function start(name: string, command: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  // Jaeger's gRPC client warns every few seconds that nothing listens on localhost:4317 (its own
  // self-tracing, which no setting here turns off): only its errors are worth a line.
  const keep = name === 'jaeger' ? (line: string) => /\t(error|fatal|panic)\t/i.test(line) : () => true;
  const prefix = (chunk: Buffer) => {
    const lines = String(chunk).split('\n').filter((line) => line && keep(line));
    if (lines.length) process.stdout.write(lines.map((line) => `[${name}] ${line}\n`).join(''));
  };
  child.stdout?.on('data', prefix);
  child.stderr?.on('data', prefix);
  return child;
}

/** Polls `probe` (fast first) until it answers OK, the child exits, or 60 s pass. */
async function ready(name: string, child: ChildProcess, probe: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (let wait = 20; ; wait = Math.min(wait * 2, 500)) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} before it was ready`);
    const ok = await fetch(probe).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${name} not ready at ${probe} within 60 s`);
    await new Promise((done) => setTimeout(done, wait));
  }
}

function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

async function startJaeger(): Promise<void> {
  if (jaeger && jaeger.exitCode === null && jaeger.signalCode === null) return;
  const bin = execFileSync('bash', [join(root, 'scripts/jaeger.sh'), '--no-build'], { encoding: 'utf8' }).trim();
  jaeger = start('jaeger', bin, ['--config', `file:${join(import.meta.dirname, 'jaeger.yaml')}`], {
    JAEGER_OTLP_HTTP_PORT: String(STACK_PORTS.otlpHttp),
    JAEGER_OTLP_GRPC_PORT: String(STACK_PORTS.otlpGrpc),
    JAEGER_QUERY_HTTP_PORT: String(STACK_PORTS.queryHttp),
    JAEGER_QUERY_GRPC_PORT: String(STACK_PORTS.queryGrpc),
  });
  await ready('jaeger', jaeger, `${url(STACK_PORTS.queryHttp)}/api/v3/services`);
}

async function up(): Promise<void> {
  await startJaeger();
  if (instances.length === 0) {
    const media = join(tmpdir(), `flowtrace-e2e-jaeger-media-${STACK_PORTS.balancer}`);
    instances = STACK_PORTS.instances.map((port, i) =>
      // The demo's test build (dist/demo-e2e, served by the e2e server): its pages answer the
      // testing fixture, which the production build's leave off.
      start(`instance ${i}`, process.execPath, ['dist/server/e2e-server.js'], {
        PORT: String(port),
        DATABASE_URL: process.env.DATABASE_URL!,
        FLOWTRACE_STORE: 'off',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${url(STACK_PORTS.otlpHttp)}/v1/traces`,
        SIMPLYCASTER_ROOM_BUS: 'postgres',
        FLOWTRACE_JAEGER_QUERY_URL: url(STACK_PORTS.queryHttp),
        // One media store for both, as a shared volume or bucket would be.
        FLOWTRACE_MEDIA_DIR: media,
        // Small, so the outage spec fills it with a few hundred requests.
        FLOWTRACE_EXPORT_QUEUE_SIZE: '512',
      }),
    );
    await Promise.all(instances.map((child, i) => ready(`instance ${i}`, child, `${url(STACK_PORTS.instances[i]!)}/healthz`)));
  }
  if (!balancer) {
    balancer = createBalancer(STACK_PORTS.instances);
    await new Promise<void>((done) => balancer!.server.listen(STACK_PORTS.balancer, '127.0.0.1', done));
  }
}

async function down(): Promise<void> {
  if (balancer) {
    balancer.server.closeAllConnections();
    await new Promise((done) => balancer!.server.close(done));
    balancer = undefined;
  }
  await Promise.all(instances.map(stopChild));
  instances = [];
  await stopChild(jaeger);
  jaeger = undefined;
}

const routes: Record<string, (res: ServerResponse) => Promise<unknown>> = {
  'GET /healthz': async () => ({ ok: true }),
  'POST /up': async (res) => {
    const reason = missing();
    if (reason) return void res.writeHead(424, { 'content-type': 'application/json' }).end(JSON.stringify({ reason }));
    await up();
    return { ok: true };
  },
  'POST /down': async () => (await down(), { ok: true }),
  'POST /jaeger/stop': async () => (await stopChild(jaeger), { ok: true }),
  'POST /jaeger/start': async () => (await startJaeger(), { ok: true }),
  'GET /upgrades': async () => ({ upgrades: balancer?.upgrades ?? [] }),
  'GET /status': async () => ({ up: balancer !== undefined, reason: balancer ? undefined : (missing() ?? 'not started: the jaeger-stack setup project starts it') }),
  // Resident memory of each instance, from the kernel's own account of it.
  'GET /memory': async () => ({ rssKb: instances.map((child) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1])) }),
};

const control = createServer((req: IncomingMessage, res: ServerResponse) => {
  const route = routes[`${req.method} ${req.url}`];
  if (!route) return void res.writeHead(404).end();
  route(res).then(
    (body) => {
      if (!res.headersSent) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    },
    (error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    },
  );
});
control.listen(STACK_PORTS.control, '127.0.0.1', () => console.log(`e2e-jaeger stack control on ${url(STACK_PORTS.control)}`));

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    control.close();
    void down().finally(() => process.exit(0));
  });
}
