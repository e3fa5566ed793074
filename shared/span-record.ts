/**
 * The one span shape flowtrace stores, queries and asserts on, whichever side recorded it.
 * Browser spans arrive as OTLP/JSON; server spans are serialised through the same OTLP encoder,
 * so both sides decode into this type by the same code (see `otlp/otlp-json.ts`).
 */

export type AttributeValue = string | number | boolean | Array<string | number | boolean | null>;
export type Attributes = Record<string, AttributeValue>;

export type SpanKindName = 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export type StatusCodeName = 'unset' | 'ok' | 'error';
export type Side = 'browser' | 'server';

export interface SpanEventRecord {
  name: string;
  /** Milliseconds since the epoch, sub-millisecond precision kept. */
  time: number;
  /** The exact time as recorded: nanoseconds since the epoch, in decimal (beyond 2^53). */
  timeUnixNano?: string;
  attributes: Attributes;
}

export interface SpanLinkRecord {
  traceId: string;
  spanId: string;
  /** The linked span's W3C `tracestate`, when it had one. */
  traceState?: string;
  attributes: Attributes;
}

export interface SpanRecord {
  traceId: string;
  spanId: string;
  /** Absent for a root span. */
  parentSpanId?: string;
  name: string;
  kind: SpanKindName;
  /** `service.name` of the resource that recorded the span. */
  service: string;
  side: Side;
  /** Milliseconds since the epoch. */
  startTime: number;
  endTime: number;
  /** The exact start as recorded: nanoseconds since the epoch, in decimal (beyond 2^53). */
  startTimeUnixNano?: string;
  /** The exact end as recorded: nanoseconds since the epoch, in decimal. */
  endTimeUnixNano?: string;
  /** Every attribute of the resource that recorded the span (`service.name` among them). */
  resource?: Attributes;
  /** The instrumentation scope (tracer) that recorded the span. */
  scope?: SpanScope;
  attributes: Attributes;
  status: { code: StatusCodeName; message?: string };
  events: SpanEventRecord[];
  links: SpanLinkRecord[];
}

/** The instrumentation scope of a span: the name and version its tracer was obtained with. */
export interface SpanScope {
  name: string;
  version?: string;
}

/** The role a span plays in a full-stack trace: the browser, the server, or a database call. */
export type SpanRole = Side | 'db';

/** A span is a `db` span when it follows the database semantic conventions. */
export function spanRole(span: SpanRecord): SpanRole {
  return 'db.system.name' in span.attributes ? 'db' : span.side;
}
