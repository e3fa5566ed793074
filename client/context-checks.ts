/**
 * What the context manager decided about a span's parent, made visible on the span: a span whose
 * context belonged to a flow that had already ended is a root *linked* to that flow (the context
 * manager refused the ended flow as a parent); and, with `debugLostContext`, a span that starts
 * without any parent while a flow is open is reported, with the stack that started it.
 */
import { diag, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_FLOW_NAME } from '../shared/attributes.ts';
import { ATTR_LINK_REASON } from './attributes.ts';
import { endedFlowOf } from './context-manager.ts';
import { flowRegistry } from './flow-registry.ts';

/** @internal */
export class ContextCheckProcessor implements SpanProcessor {
  readonly #debug: boolean;

  constructor({ debugLostContext }: { debugLostContext: boolean }) {
    this.#debug = debugLostContext;
  }

  onStart(span: Span, parentContext: Context): void {
    const ended = endedFlowOf(parentContext);
    if (ended && !span.parentSpanContext) {
      span.addLink({ context: ended, attributes: { [ATTR_LINK_REASON]: 'flow_ended' } });
      return;
    }
    if (this.#debug && !span.parentSpanContext && flowRegistry.size > 0 && span.attributes[ATTR_FLOW_NAME] === undefined) {
      diag.warn(
        `flowtrace: span "${span.name}" started without a parent while ${flowRegistry.size} flow(s) are open: ` +
          'a context was probably lost at an await in code the flowtrace/vite plugin did not transform',
        new Error('started here').stack,
      );
    }
  }

  onEnd(_span: ReadableSpan): void {}

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}
