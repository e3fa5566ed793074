/**
 * The demo's database: embedded PGlite by default (persisted under .flowtrace/pglite, or in
 * memory with FLOWTRACE_DATA_DIR=memory://), PostgreSQL through `pg` when DATABASE_URL is set.
 * Both are wrapped by flowtrace's DB tracing, so they give the same spans.
 */
import { mkdirSync } from 'node:fs';
import { traceDatabase, type ServerTracing } from 'flowtrace/server';
import { SCHEMA } from './schema.ts';

/** What the demo needs from a database. */
export interface Database {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: Row[] }>;
  /** Which engine backs it, for logs and the page footer. */
  readonly engine: 'pglite' | 'postgresql';
  /**
   * PostgreSQL only: a connection of its own, untraced, that LISTENs on `channel` and calls
   * `onNotify` with each payload (the room bus across instances, see room-bus.ts).
   */
  listen?(channel: string, onNotify: (payload: string) => void): Promise<Listener>;
  close(): Promise<void>;
}

/** A LISTENing connection; `query` runs on it, untraced (housekeeping nobody's trace is about). */
export interface Listener {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: Row[] }>;
  close(): Promise<void>;
}


async function openPglite(tracing: ServerTracing, dataDir: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const raw = await PGlite.create(dataDir);
  await raw.exec(SCHEMA);
  const traced = traceDatabase(tracing, raw, { namespace: 'simplycaster' });
  return {
    engine: 'pglite',
    query: <Row>(text: string, params?: unknown[]) => traced.query<Row>(text, params),
    close: () => raw.close(),
  };
}

async function openPostgres(tracing: ServerTracing, url: string): Promise<Database> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  await pool.query(SCHEMA);
  const traced = traceDatabase(tracing, pool);
  return {
    engine: 'postgresql',
    query: async <Row>(text: string, params?: unknown[]) => {
      const result = await traced.query(text, params);
      return { rows: result.rows as Row[] };
    },
    async listen(channel, onNotify) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      client.on('notification', (message) => {
        if (message.channel === channel) onNotify(message.payload ?? '');
      });
      // A channel is an identifier, not a parameter; ours are constants of the code.
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      return {
        query: async <Row>(text: string, params?: unknown[]) => ({ rows: (await client.query(text, params)).rows as Row[] }),
        close: () => client.end(),
      };
    },
    close: () => pool.end(),
  };
}

/** Opens the database the environment asks for and creates the schema; its spans go to `tracing`. */
export function openDatabase(tracing: ServerTracing, env: NodeJS.ProcessEnv = process.env): Promise<Database> {
  if (env.DATABASE_URL) return openPostgres(tracing, env.DATABASE_URL);
  return openPglite(tracing, env.FLOWTRACE_DATA_DIR || '.flowtrace/pglite');
}
