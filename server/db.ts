/**
 * DB CLIENT spans from one explicit wrapper that gives PGlite and node-postgres (`pg` Pool and
 * Client) the same shape, following the stable database conventions:
 * name `{db.operation.name} {db.collection.name}`, `db.system.name`, `db.namespace`, and
 * `db.query.text` with literal values replaced by `?`.
 */
import { SpanKind, SpanStatusCode, trace, type Attributes, type Tracer } from '@opentelemetry/api';
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
  /** @default the global tracer named 'flowtrace' */
  tracer?: Tracer;
}

interface PgLikeOptions {
  host?: unknown;
  port?: unknown;
  database?: unknown;
}

function pgOptions(client: object): PgLikeOptions {
  // pg.Pool keeps them on `options`, pg.Client on itself (`connectionParameters`).
  const c = client as { options?: PgLikeOptions; connectionParameters?: PgLikeOptions };
  return c.connectionParameters ?? c.options ?? {};
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

/**
 * Returns `client` with `query` traced: one CLIENT span per call, a child of the active span.
 * Everything else on the client passes through untouched.
 */
export function traceDatabase<T extends Queryable>(client: T, options: DatabaseTracingOptions = {}): T {
  const tracer = options.tracer ?? trace.getTracer('flowtrace');
  const base = staticAttributes(client, options);
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;

  async function tracedQuery(text: unknown, ...rest: unknown[]): Promise<unknown> {
    const sql = typeof text === 'string' ? text : (text as { text?: unknown } | undefined)?.text;
    if (typeof sql !== 'string' || typeof rest.at(-1) === 'function') return query(text, ...rest);
    const { operation, collection } = summarizeQuery(sql);
    const name = [operation, collection].filter(Boolean).join(' ') || 'postgresql';
    return tracer.startActiveSpan(
      name,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          ...base,
          [ATTR_DB_QUERY_TEXT]: sanitizeQueryText(sql),
          ...(operation ? { [ATTR_DB_OPERATION_NAME]: operation } : {}),
          ...(collection ? { [ATTR_DB_COLLECTION_NAME]: collection } : {}),
        },
      },
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

  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'query') return tracedQuery;
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
