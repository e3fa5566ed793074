/**
 * Automatic click flows: a click on an element that opts in with `data-flow` becomes a flow.
 * `data-flow="room.create"` names the flow `room.create`; an empty `data-flow` names it after the
 * element's accessible name: `click "Create room"`. The flow is the context of everything the
 * click's handlers start synchronously, and ends once that work (its child spans) has finished.
 * Work after the handler's first `await` is not the click's to see: wrap the handler with
 * `clickFlow()` for that.
 */
import { diag, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { ATTR_CLICK_TARGET_NAME } from './attributes.ts';
import type { FlowContextManager } from './context-manager.ts';
import { openFlow } from './flows.ts';
import type { OpenWork } from './open-work.ts';

const MAX_NAME = 80;

/** The accessible name of an element, approximated the way most buttons and links get theirs. */
export function accessibleName(element: Element): string {
  const label = element.getAttribute('aria-label');
  const labelledBy = element
    .getAttribute('aria-labelledby')
    ?.split(/\s+/)
    .map((id) => element.ownerDocument.getElementById(id)?.textContent ?? '')
    .join(' ');
  const text = label || labelledBy || element.textContent || element.getAttribute('title') || '';
  return text.replace(/\s+/g, ' ').trim().slice(0, MAX_NAME);
}

/** The flow name for a click on `element`, per the naming convention above. */
export function clickFlowName(element: Element): string {
  const named = element.getAttribute('data-flow')?.trim();
  return named || `click "${accessibleName(element) || element.tagName.toLowerCase()}"`;
}

/** Installs the document listener; returns its removal. */
export function installClickFlows(manager: FlowContextManager, work: OpenWork): () => void {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const onClick = (event: Event) => {
    try {
      const target = event.target instanceof Element ? event.target.closest('[data-flow]') : null;
      if (!target) return;
      const attributes = { [ATTR_CLICK_TARGET_NAME]: accessibleName(target) };
      // A click is a root: the zone of a document listener says nothing about the user's intent.
      const flow = openFlow(clickFlowName(target), { attributes }, 'click', ROOT_CONTEXT);
      manager.setAmbient(trace.setSpan(ROOT_CONTEXT, flow.span));
      // The click's listeners all run in this one task; the timer runs after the last of them.
      const timer = setTimeout(() => {
        timers.delete(timer);
        manager.setAmbient(undefined);
        work.whenIdle(flow.span.spanContext().spanId, () => flow.end());
      }, 0);
      timers.add(timer);
    } catch (error) {
      diag.warn('flowtrace: click flow failed', error);
    }
  };
  document.addEventListener('click', onClick, { capture: true });
  return function removeClickFlows() {
    document.removeEventListener('click', onClick, { capture: true });
    for (const timer of timers) clearTimeout(timer);
    manager.setAmbient(undefined);
  };
}
