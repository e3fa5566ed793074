/**
 * Attribute and baggage names flowtrace adds on top of OpenTelemetry's semantic conventions.
 *
 * Everything of our own lives under the `flowtrace.` namespace so it can later be mapped onto an
 * official convention without colliding with one.
 */

/** Baggage entry and span attribute carrying the Playwright test id that produced a span. */
export const ATTR_TEST_ID = 'flowtrace.test_id';
/** Name of the user flow a span belongs to (set on the flow span itself). */
export const ATTR_FLOW_NAME = 'flowtrace.flow.name';
/** How a flow ended: `ok`, `error`, `cancelled` or `unloaded`. */
export const ATTR_FLOW_OUTCOME = 'flowtrace.flow.outcome';

/** The browser tab session a span belongs to (OpenTelemetry `session.id`). */
export const ATTR_SESSION_ID = 'session.id';
/** The app's opaque user id, once known (OpenTelemetry `enduser.id`); never an email address. */
export const ATTR_ENDUSER_ID = 'enduser.id';

/** Baggage keys that flowtrace copies onto every span started under them. */
export const PROPAGATED_BAGGAGE_KEYS: readonly string[] = [ATTR_TEST_ID, ATTR_SESSION_ID, ATTR_ENDUSER_ID];
