/**
 * Ports of the two-instance stack the e2e-jaeger specs run against, from one base so checkouts side
 * by side never clash: FLOWTRACE_JAEGER_STACK_PORT, or FLOWTRACE_E2E_PORT + 50 (the unit tests'
 * servers use + 10 to + 49).
 */
const base = Number(process.env.FLOWTRACE_JAEGER_STACK_PORT ?? Number(process.env.FLOWTRACE_E2E_PORT ?? 4310) + 50);

export const STACK_PORTS = {
  /** The one origin browsers see: a round-robin balancer over the instances. */
  balancer: base,
  instances: [base + 1, base + 2],
  /** The stack's control API (start, stop, Jaeger outages). */
  control: base + 3,
  otlpHttp: base + 4,
  otlpGrpc: base + 5,
  queryHttp: base + 6,
  queryGrpc: base + 7,
} as const;

export const url = (port: number): string => `http://127.0.0.1:${port}`;
