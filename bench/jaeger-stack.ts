/**
 * The e2e-jaeger stack (e2e/jaeger/stack.ts: Jaeger v2, two demo instances on PostgreSQL, a
 * round-robin balancer) for the benches that measure against a real Jaeger, on ports of their own:
 * FLOWTRACE_BENCH_JAEGER_PORT, or FLOWTRACE_E2E_PORT + 70 (eight ports from there).
 */
import { spawn } from 'node:child_process';

const base = Number(process.env.FLOWTRACE_BENCH_JAEGER_PORT ?? Number(process.env.FLOWTRACE_E2E_PORT ?? 4310) + 70);
const at = (port: number) => `http://127.0.0.1:${port}`;

export interface BenchStack {
  balancer: string;
  instances: string[];
  jaeger: string;
  stopJaeger(): Promise<void>;
  startJaeger(): Promise<void>;
  stop(): Promise<void>;
}

async function post(url: string): Promise<void> {
  const response = await fetch(url, { method: 'POST' });
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
}

/** Starts the stack; needs DATABASE_URL and a Jaeger build (scripts/jaeger.sh). */
export async function startBenchStack(): Promise<BenchStack> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'e2e/jaeger/stack.ts'], {
    env: { ...process.env, FLOWTRACE_JAEGER_STACK_PORT: String(base) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const control = at(base + 3);
  for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
    if (child.exitCode !== null) throw new Error(`the stack exited with ${child.exitCode}`);
    if (await fetch(`${control}/healthz`).then((r) => r.ok, () => false)) break;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  await post(`${control}/up`);
  return {
    balancer: at(base),
    instances: [at(base + 1), at(base + 2)],
    jaeger: at(base + 6),
    stopJaeger: () => post(`${control}/jaeger/stop`),
    startJaeger: () => post(`${control}/jaeger/start`),
    async stop() {
      await post(`${control}/down`).catch(() => {});
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
