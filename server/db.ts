/**
 * DB CLIENT spans from one explicit wrapper that gives PGlite and node-postgres (`pg` Pool and
 * Client) the same shape, following the stable database conventions:
 * name `{db.operation.name} {db.collection.name}`, `db.system.name`, `db.namespace`, and
 * `db.query.text` with literal values replaced by `?`.
 */
import { SpanKind, SpanStatusCode, type Attributes, type Tracer } from '@opentelemetry/api';
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_RESPONSE_STATUS_CODE,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
} from '@opentelemetry/semantic-conventions';
import { sanitizeQueryText, summarizeQuery } from './db-query-text.ts';
import type { TracerSource } from './tracing.ts';

/** Anything with a promise-returning `query(text, params?)`: PGlite, pg.Pool, pg.Client. */
export interface Queryable {
  query(text: string, params?: unknown[], ...rest: unknown[]): Promise<unknown>;
}

export interface DatabaseTracingOptions {
  /** Database name for `db.namespace`. Read from a pg client's options when not given. */
  namespace?: string;
  /** Read from a pg client's options when not given; PGlite is in-process and has none. */
  serverAddress?: string;
  serverPort?: number;
}

/** Options with the tracing instance's tracer, which every span of the wrapped client uses. */
interface ResolvedDatabaseOptions extends DatabaseTracingOptions {
  tracer: Tracer;
}

interface PgLikeOptions {
  host?: unknown;
  port?: unknown;
  database?: unknown;
}

function fromConnectionString(value: unknown): PgLikeOptions {
  if (typeof value !== 'string') return {};
  try {
    const url = new URL(value);
    return { host: decodeURIComponent(url.hostname) || undefined, port: url.port || 5432, database: url.pathname.slice(1) || undefined };
  } catch {
    return {};
  }
}

function pgOptions(client: object): PgLikeOptions {
  // pg.Client parses them into `connectionParameters`; pg.Pool keeps what it was given on `options`.
  const c = client as { options?: PgLikeOptions & { connectionString?: unknown }; connectionParameters?: PgLikeOptions };
  if (c.connectionParameters) return c.connectionParameters;
  if (!c.options) return {};
  return { ...fromConnectionString(c.options.connectionString), ...definedOnly(c.options) };
}

function definedOnly({ host, port, database }: PgLikeOptions): PgLikeOptions {
  const out: PgLikeOptions = {};
  if (host !== undefined) out.host = host;
  if (port !== undefined) out.port = port;
  if (database !== undefined) out.database = database;
  return out;
}

function staticAttributes(client: object, options: DatabaseTracingOptions): Attributes {
  const pg = pgOptions(client);
  const namespace = options.namespace ?? (typeof pg.database === 'string' ? pg.database : undefined);
  const address = options.serverAddress ?? (typeof pg.host === 'string' ? pg.host : undefined);
  const port = options.serverPort ?? (pg.port !== undefined ? Number(pg.port) : undefined);
  return {
    [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_POSTGRESQL,
    ...(namespace ? { [ATTR_DB_NAMESPACE]: namespace } : {}),
    ...(address && !address.startsWith('/') ? { [ATTR_SERVER_ADDRESS]: address } : {}),
    ...(address && port ? { [ATTR_SERVER_PORT]: port } : {}),
  };
}

type Connect = (...args: unknown[]) => unknown;

/**
 * `pool.connect()` hands out clients that must be traced the same way: both its promise form and
 * its callback form `(err, client, release)`.
 */
function tracedConnect(connect: Connect, options: ResolvedDatabaseOptions, base: Attributes): Connect {
  const wrap = (client: unknown) =>
    client && typeof (client as Queryable).query === 'function' ? traceWith(client as Queryable, options, base) : client;
  return function connectTraced(...args: unknown[]): unknown {
    const callback = args.at(-1);
    if (typeof callback === 'function') {
      return connect(...args.slice(0, -1), (error: unknown, client: unknown, release: unknown) =>
        (callback as (...a: unknown[]) => unknown)(error, wrap(client), release),
      );
    }
    return (connect(...args) as Promise<unknown>).then(wrap);
  };
}

/**
 * Returns `client` with `query` traced by `tracing`: one CLIENT span per call, a child of the
 * active span. For a pg.Pool, clients from `connect()` are traced too. Everything else passes
 * through untouched.
 */
export function traceDatabase<T extends Queryable>(tracing: TracerSource, client: T, options: DatabaseTracingOptions = {}): T {
  if (typeof (client as Partial<Queryable> | null | undefined)?.query !== 'function') {
    throw new TypeError(
      `flowtrace traceDatabase: expected a pg Pool or Client or a PGlite instance, got ${client === null ? 'null' : typeof client}. ` +
        'Install a PostgreSQL client first: npm install pg (a server), or npm install @electric-sql/pglite (embedded)',
    );
  }
  return traceWith(client, { ...options, tracer: tracing.tracer }, staticAttributes(client, options));
}

/** A query's span name and attributes. */
interface QueryShape {
  name: string;
  attributes: Attributes;
}

// Distinct statement texts remembered per traced client. Parameterized SQL repeats, so the
// regexes run once per statement instead of once per call (0.5-2 µs each); SQL with inlined
// literals is unbounded, so a full cache starts over rather than growing.
const MAX_CACHED_SHAPES = 256;

class QueryShapeCache {
  readonly #shapes = new Map<string, QueryShape>();
  readonly #base: Attributes;

  constructor(base: Attributes) {
    this.#base = base;
  }

  get(sql: string): QueryShape {
    let shape = this.#shapes.get(sql);
    if (shape) return shape;
    const { operation, collection } = summarizeQuery(sql);
    shape = {
      name: [operation, collection].filter(Boolean).join(' ') || 'postgresql',
      // Shared by every span of this statement: the SDK copies attributes into each span.
      attributes: Object.freeze({
        ...this.#base,
        [ATTR_DB_QUERY_TEXT]: sanitizeQueryText(sql),
        ...(operation ? { [ATTR_DB_OPERATION_NAME]: operation } : {}),
        ...(collection ? { [ATTR_DB_COLLECTION_NAME]: collection } : {}),
      }),
    };
    if (this.#shapes.size >= MAX_CACHED_SHAPES) this.#shapes.clear();
    this.#shapes.set(sql, shape);
    return shape;
  }
}

function traceWith<T extends Queryable>(client: T, options: ResolvedDatabaseOptions, base: Attributes): T {
  const { tracer } = options;
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;

  const shapes = new QueryShapeCache(base);

  async function tracedQuery(text: unknown, ...rest: unknown[]): Promise<unknown> {
    const sql = typeof text === 'string' ? text : (text as { text?: unknown } | undefined)?.text;
    if (typeof sql !== 'string' || typeof rest.at(-1) === 'function') return query(text, ...rest);
    const { name, attributes } = shapes.get(sql);
    return tracer.startActiveSpan(
      name,
      { kind: SpanKind.CLIENT, attributes },
      async (span) => {
        try {
          return await query(text, ...rest);
        } catch (error) {
          const code = (error as { code?: unknown }).code;
          if (typeof code === 'string') span.setAttribute(ATTR_DB_RESPONSE_STATUS_CODE, code);
          span.setAttribute(ATTR_ERROR_TYPE, typeof code === 'string' ? code : ((error as Error)?.name ?? 'Error'));
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }

  const rawConnect = (client as { connect?: unknown }).connect;
  // Only a pool's connect() yields clients; a pg.Client's connect() just opens its own connection.
  const isPool = typeof rawConnect === 'function' && typeof (client as { totalCount?: unknown }).totalCount === 'number';
  const connect = isPool ? tracedConnect((rawConnect as Connect).bind(client), options, base) : undefined;

  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'query') return tracedQuery;
      if (property === 'connect' && connect) return connect;
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
