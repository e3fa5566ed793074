import { ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { expect, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { createSampler, RandomnessRatioSampler, UNTRUSTED_SAMPLED_FLAG } from './sampling.ts';

const traceIds = Array.from({ length: 2000 }, (_, i) => ((i + 1) * 2654435761).toString(16).padStart(8, '0').repeat(4).slice(0, 32));

function sampledShare(sampler: ReturnType<typeof createSampler>, attributes = {}): number {
  const sampled = traceIds.filter(
    (id) => sampler.shouldSample(ROOT_CONTEXT, id, 'GET', SpanKind.SERVER, attributes, []).decision === SamplingDecision.RECORD_AND_SAMPLED,
  );
  return sampled.length / traceIds.length;
}

test('new roots follow the ratio, and a role with its own ratio follows that', () => {
  const sampler = createSampler({ ratio: 0, byRole: { support: 1 } });
  expect(sampledShare(sampler)).toBe(0);
  expect(sampledShare(sampler, { 'user.roles': ['member', 'support'] })).toBe(1);
  expect(sampledShare(createSampler({ ratio: 1 }))).toBe(1);
});

test('a not-sampled remote parent is followed only when its flag is trusted', () => {
  const sampler = createSampler({ ratio: 1 });
  const remote = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    traceFlags: TraceFlags.NONE,
    isRemote: true,
  });
  const decide = (context: typeof remote) => sampler.shouldSample(context, '4bf92f3577b34da6a3ce929d0e0e4736', 'GET', SpanKind.SERVER, {}, []);
  expect(decide(remote).decision).toBe(SamplingDecision.NOT_RECORD);
  const overruled = decide(remote.setValue(UNTRUSTED_SAMPLED_FLAG, true));
  expect(overruled.decision).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  expect(overruled.attributes).toEqual({ 'flowtrace.trust.override': 'sampled_flag_untrusted' });
});

test('a ratio outside 0..1 is refused with the value', () => {
  expect(() => createSampler({ ratio: 2 })).toThrow('sampleRatio must be a number from 0 to 1, got 2');
});

test('a root ratio decides by the trace id\'s right-most 7 bytes: sampled when they reach (1 - ratio) * 2^56', () => {
  const sampler = new RandomnessRatioSampler(0.25);
  const decide = (traceId: string) => sampler.shouldSample(ROOT_CONTEXT, traceId, 'GET', SpanKind.SERVER, {}, []).decision;
  // Threshold for 0.25: 0.75 * 2^56 = 0xc0000000000000. The left 9 bytes play no part.
  expect(decide(`${'f'.repeat(18)}bfffffffffffff`)).toBe(SamplingDecision.NOT_RECORD);
  expect(decide(`${'0'.repeat(17)}1c0000000000000`)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  expect(decide(`${'0'.repeat(17)}1ffffffffffffff`)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  const random = Array.from({ length: 20000 }, () => randomBytes(16).toString('hex'));
  const share = random.filter((id) => decide(id) === SamplingDecision.RECORD_AND_SAMPLED).length / random.length;
  expect(share).toBeGreaterThan(0.23);
  expect(share).toBeLessThan(0.27);
});
