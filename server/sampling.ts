/**
 * Sampling: parent-based (OpenTelemetry's ParentBasedSampler) with a ratio for new roots, a ratio
 * per user role, and a guard so an untrusted client cannot switch tracing off with a
 * not-sampled flag (DESIGN.md §4).
 */
import { createContextKey, type Attributes, type Context, type Link, type SpanKind } from '@opentelemetry/api';
import { ParentBasedSampler, SamplingDecision, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace-base';
import { ATTR_TRUST_OVERRIDE, ATTR_USER_ROLES } from '../shared/attributes.ts';

/** Marks a context whose remote parent's sampled flag came from an untrusted client. */
export const UNTRUSTED_SAMPLED_FLAG = createContextKey('flowtrace.untrusted-sampled-flag');

export interface SamplingOptions {
  /**
   * Share of new root traces recorded.
   * @default 1 when NODE_ENV is not 'production', else 0.1
   */
  ratio?: number;
  /** Ratio for new roots by role (first role in `user.roles` found here wins), e.g. `{ admin: 1 }`. */
  byRole?: Readonly<Record<string, number>>;
}

function checkRatio(ratio: number, what: string): number {
  if (!(ratio >= 0 && ratio <= 1)) throw new RangeError(`flowtrace: ${what} must be a number from 0 to 1, got ${ratio}`);
  return ratio;
}

/** The root ratio the environment asks for when none is given. */
export function defaultRatio(): number {
  return process.env.NODE_ENV === 'production' ? 0.1 : 1;
}

const RECORD: SamplingResult = Object.freeze({ decision: SamplingDecision.RECORD_AND_SAMPLED });
const DROP: SamplingResult = Object.freeze({ decision: SamplingDecision.NOT_RECORD });

/**
 * Samples a share of new roots by the trace id's right-most 7 bytes: the bytes W3C Trace Context
 * Level 2 vouches are random (the random-trace-id flag), and the ones OpenTelemetry's consistent
 * probability sampling reads (https://opentelemetry.io/docs/specs/otel/trace/tracestate-probability-sampling/:
 * sampled when the randomness R >= the threshold T = (1 - ratio) * 2^56).
 *
 * OpenTelemetry's TraceIdRatioBasedSampler hashes all 16 bytes with four parseInt calls on every
 * new root, recorded or not; here the decision is one comparison of 14 hex digits (lower-case
 * hex sorts as its number does).
 */
export class RandomnessRatioSampler implements Sampler {
  readonly #ratio: number;
  readonly #threshold: string;

  constructor(ratio: number) {
    this.#ratio = checkRatio(ratio, 'ratio');
    // (1 - ratio) * 2^56 is an integer-valued double past 2^53; BigInt keeps its digits.
    this.#threshold = ratio === 0 ? '' : BigInt(Math.round((1 - ratio) * 2 ** 56)).toString(16).padStart(14, '0');
  }

  shouldSample(_context: Context, traceId: string, _name?: string, _kind?: SpanKind, _attributes?: Attributes, _links?: Link[]): SamplingResult {
    return this.samples(traceId) ? RECORD : DROP;
  }

  /** Whether a new root with this trace id is sampled: the decision alone, nothing allocated. */
  samples(traceId: string): boolean {
    // Ratio 0 has the threshold '', which every id would reach.
    return this.#ratio !== 0 && traceId.slice(18) >= this.#threshold;
  }

  toString(): string {
    return `RandomnessRatioSampler{${this.#ratio}}`;
  }
}

/** Samples new roots by ratio, or by the ratio of the user's role when one is configured. */
class RoleRatioSampler implements Sampler {
  readonly #default: RandomnessRatioSampler;
  readonly #byRole: Map<string, Sampler>;

  constructor(ratio: number, byRole: Readonly<Record<string, number>>) {
    this.#default = new RandomnessRatioSampler(ratio);
    this.#byRole = new Map(
      Object.entries(byRole).map(([role, r]) => [role, new RandomnessRatioSampler(checkRatio(r, `byRole.${role}`))]),
    );
  }

  shouldSample(context: Context, traceId: string, name: string, kind: SpanKind, attributes: Attributes, links: Link[]): SamplingResult {
    if (this.#byRole.size === 0) return this.#default.shouldSample(context, traceId, name, kind, attributes, links);
    const roles = attributes[ATTR_USER_ROLES];
    const sampler = (Array.isArray(roles) && roles.map((role) => this.#byRole.get(String(role))).find(Boolean)) || this.#default;
    return sampler.shouldSample(context, traceId, name, kind, attributes, links);
  }

  /** The one ratio every new root follows, when no role has its own. */
  get plainRatio(): RandomnessRatioSampler | undefined {
    return this.#byRole.size === 0 ? this.#default : undefined;
  }

  toString(): string {
    return `RoleRatioSampler{${this.#default.toString()}}`;
  }
}

/**
 * A remote parent that says "not sampled" is followed only when the trust policy says its flag
 * may be trusted; otherwise the trace id is kept and the root ratio decides, so the server's own
 * sampling still applies.
 */
class UntrustedNotSampledSampler implements Sampler {
  readonly #root: Sampler;

  constructor(root: Sampler) {
    this.#root = root;
  }

  shouldSample(context: Context, traceId: string, name: string, kind: SpanKind, attributes: Attributes, links: Link[]): SamplingResult {
    if (context.getValue(UNTRUSTED_SAMPLED_FLAG) !== true) return { decision: SamplingDecision.NOT_RECORD };
    const result = this.#root.shouldSample(context, traceId, name, kind, attributes, links);
    // Say so on the span: the client asked for no tracing and was overruled.
    return { ...result, attributes: { ...result.attributes, [ATTR_TRUST_OVERRIDE]: 'sampled_flag_untrusted' } };
  }

  toString(): string {
    return 'UntrustedNotSampledSampler';
  }
}

/** The server's sampler: OpenTelemetry's ParentBasedSampler over the root ratio. */
export class ServerSampler extends ParentBasedSampler {
  /**
   * The root sampler when it is one plain ratio (no `byRole`): a new root's decision then reads
   * its trace id alone, so the HTTP middleware may make it before asking the SDK for a span
   * (server/unsampled-roots.ts). Undefined when a role can change the decision.
   */
  readonly rootRatio: RandomnessRatioSampler | undefined;

  constructor(root: RoleRatioSampler) {
    super({ root, remoteParentNotSampled: new UntrustedNotSampledSampler(root) });
    this.rootRatio = root.plainRatio;
  }
}

/** Builds the server's sampler. */
export function createSampler(options: SamplingOptions = {}): ServerSampler {
  return new ServerSampler(new RoleRatioSampler(checkRatio(options.ratio ?? defaultRatio(), 'sampleRatio'), options.byRole ?? {}));
}
