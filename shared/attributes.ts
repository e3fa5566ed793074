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

/**
 * Baggage keys a server keeps from an untrusted client by default: the test id and the tab's
 * random session id. Not `enduser.id`: a server knows its user from authentication, not from what
 * a browser claims.
 */
export const CLIENT_BAGGAGE_ALLOW_LIST: readonly string[] = [ATTR_TEST_ID, ATTR_SESSION_ID];

// WebSocket tracing (docs/websocket.md has the mapping table). No semantic convention covers
// WebSockets yet (semantic-conventions #2841); messaging attributes are used where they fit.

/** Incubating messaging convention, copied here because incubating names may still change. */
export const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
/** Incubating messaging convention (`send`, `process`). */
export const ATTR_MESSAGING_OPERATION_NAME = 'messaging.operation.name';
/** Incubating messaging convention: payload size in bytes, envelope excluded. */
export const ATTR_MESSAGING_MESSAGE_BODY_SIZE = 'messaging.message.body.size';
/** Incubating messaging convention: the WebSocket channel (the upgrade URL's path by default). */
export const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
/** Where the handshake carried context: `query`, `protocol` or `none`. */
export const ATTR_WS_CARRIER = 'flowtrace.ws.carrier';
/** State of the context a handshake or message carried: `valid`, `missing`, `invalid` or `oversized`. */
export const ATTR_WS_CONTEXT = 'flowtrace.ws.context';
/** Whether the message (or, on a handshake, the connection) uses the flowtrace envelope. */
export const ATTR_WS_ENVELOPE = 'flowtrace.ws.envelope';
/** 1 for a page's first connection to a URL, 2 for its first reconnect, and so on. */
export const ATTR_WS_CONNECTION_ATTEMPT = 'flowtrace.ws.connection.attempt';
/** Close code, when a connection closed before it opened. */
export const ATTR_WS_CLOSE_CODE = 'flowtrace.ws.close_code';


// Incubating semantic-convention names, copied as OpenTelemetry recommends for unstable ones
// (https://github.com/open-telemetry/opentelemetry-js/tree/main/semantic-conventions#unstable-semconv).
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
