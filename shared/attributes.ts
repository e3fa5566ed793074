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

/** Baggage keys that flowtrace copies onto every span started under them. */
export const PROPAGATED_BAGGAGE_KEYS: readonly string[] = [ATTR_TEST_ID];

// Incubating semantic-convention names, copied as OpenTelemetry recommends for unstable ones
// (https://github.com/open-telemetry/opentelemetry-js/tree/main/semantic-conventions#unstable-semconv).
/** `enduser.id`: the authenticated user. */
export const ATTR_ENDUSER_ID = 'enduser.id';
/** `user.roles`: the authenticated user's roles. */
export const ATTR_USER_ROLES = 'user.roles';
/** `http.request.body.size` in bytes. */
export const ATTR_HTTP_REQUEST_BODY_SIZE = 'http.request.body.size';
/** `http.response.body.size` in bytes. */
export const ATTR_HTTP_RESPONSE_BODY_SIZE = 'http.response.body.size';
/** `http.request.header.<key>`, lower case. */
export const ATTR_HTTP_REQUEST_HEADER = (key: string): string => `http.request.header.${key}`;
/** `http.response.header.<key>`, lower case. */
export const ATTR_HTTP_RESPONSE_HEADER = (key: string): string => `http.response.header.${key}`;
/** `code.stacktrace`: where a traced operation was started. */
export const ATTR_CODE_STACKTRACE = 'code.stacktrace';
/** `code.function.name`. */
export const ATTR_CODE_FUNCTION_NAME = 'code.function.name';

/** The request id returned in `X-Request-Id`. */
export const ATTR_REQUEST_ID = 'flowtrace.request_id';
/** A captured request body (opt-in, redacted, size-capped). */
export const ATTR_HTTP_REQUEST_BODY = 'flowtrace.http.request.body';
/** Change of the V8 heap used during a traced operation, in bytes (opt-in). */
export const ATTR_MEMORY_HEAP_DELTA = 'flowtrace.memory.heap_used_delta';
/** Why the client's trace context was not continued as sent (`sampled_flag_untrusted`). */
export const ATTR_TRUST_OVERRIDE = 'flowtrace.trust.override';
