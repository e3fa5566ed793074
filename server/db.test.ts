import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { PoolClient } from 'pg';
import { expect, test } from '@playwright/test';
import { traceDatabase, type Queryable } from './db.ts';
import { startTestTracing, type TestTracing } from './test-support.ts';

let t: TestTracing;
test.beforeEach(() => {
  t = startTestTracing();
});
test.afterEach(async () => {
  await t.stop();
});

const dbSpans = (spans: ReadableSpan[]) => spans.filter((span) => span.kind === SpanKind.CLIENT);

/** Two requests at once, each running three queries, over one connection: each query stays under its own request. */
async function concurrentRequests(db: Queryable, table: string): Promise<void> {
  const tracer = trace.getTracer('test');
  await Promise.all(
    ['request-a', 'request-b'].map((name) =>
      tracer.startActiveSpan(name, async (span) => {
        for (let i = 0; i < 3; i++) await db.query(`INSERT INTO ${table} (who) VALUES ($1)`, [name]);
        span.end();
      }),
    ),
  );
  const spans = await t.spans();
  const parents = new Map(spans.filter((span) => span.name.startsWith('request-')).map((span) => [span.spanContext().spanId, span.name]));
  const inserts = dbSpans(spans).filter((span) => span.name === `INSERT ${table}`);
  expect(inserts).toHaveLength(6);
  const byParent = inserts.map((span) => parents.get(span.parentSpanContext?.spanId ?? ''));
  expect(byParent.toSorted()).toEqual(['request-a', 'request-a', 'request-a', 'request-b', 'request-b', 'request-b']);
}

test('PGlite: span shape, literals stripped, errors recorded, parenting right under concurrency', async () => {
  const { PGlite } = await import('@electric-sql/pglite');
  const raw = await PGlite.create('memory://');
  try {
    const db = traceDatabase(t.tracing, raw, { namespace: 'simplycaster' });
    await db.query('CREATE TABLE visits (who text, n int)');
    await db.query("SELECT * FROM visits WHERE who = 'ada' AND n > 42");
    await expect(db.query('SELECT * FROM missing_table')).rejects.toThrow();
    const spans = dbSpans(await t.spans());
    const select = spans.find((span) => span.name === 'SELECT visits')!;
    expect(select.attributes).toEqual({
      'db.system.name': 'postgresql',
      'db.namespace': 'simplycaster',
      'db.operation.name': 'SELECT',
      'db.collection.name': 'visits',
      'db.query.text': 'SELECT * FROM visits WHERE who = ? AND n > ?',
    });
    const failed = spans.find((span) => span.name === 'SELECT missing_table')!;
    expect(failed.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed.attributes['db.response.status_code']).toBe('42P01');
    expect(failed.events.map((event) => event.name)).toContain('exception');
    t.exporter.reset();
    await concurrentRequests(db, 'visits');
  } finally {
    await raw.close();
  }
});

test('pg Pool of size 1 and its connect() clients: same shape, server address, right parents', async () => {
  test.skip(!process.env.DATABASE_URL, 'needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test');
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
  const table = `visits_${process.pid}_${test.info().workerIndex}`;
  try {
    const db = traceDatabase(t.tracing, pool);
    await db.query(`CREATE TABLE IF NOT EXISTS ${table} (who text)`);
    await concurrentRequests(db, table);
    const [insert] = dbSpans(await t.spans()).filter((span) => span.name === `INSERT ${table}`);
    expect(insert!.attributes).toMatchObject({
      'db.system.name': 'postgresql',
      'db.namespace': 'test',
      'server.address': '127.0.0.1',
      'server.port': 5432,
      'db.query.text': `INSERT INTO ${table} (who) VALUES ($1)`,
    });

    t.exporter.reset();
    const client = await db.connect();
    try {
      await client.query(`SELECT count(*) FROM ${table} WHERE who = 'x'`);
    } finally {
      client.release();
    }
    const [callbackClient, release] = await new Promise<[PoolClient, (error?: Error) => void]>((resolve, reject) =>
      db.connect((error, connected, done) => (error || !connected ? reject(error) : resolve([connected, done]))),
    );
    await callbackClient.query(`DELETE FROM ${table} WHERE who = $1`, ['request-a']);
    release();
    const names = dbSpans(await t.spans()).map((span) => span.name);
    expect(names).toEqual([`SELECT ${table}`, `DELETE ${table}`]);
  } finally {
    await pool.query(`DROP TABLE IF EXISTS ${table}`);
    await pool.end();
  }
});

test('PGlite: repeated and many distinct statements keep their own names and text', async () => {
  const { PGlite } = await import('@electric-sql/pglite');
  const raw = await PGlite.create('memory://');
  try {
    const db = traceDatabase(t.tracing, raw, { namespace: 'shapes' });
    await db.query('CREATE TABLE notes (id int, body text)');
    // More distinct statements than the shape cache holds, then a repeat of the first.
    for (let i = 0; i < 300; i++) await db.query(`INSERT INTO notes (id, body) VALUES (${i}, 'n${i}')`);
    await db.query('SELECT body FROM notes WHERE id = $1', [1]);
    await db.query('SELECT body FROM notes WHERE id = $1', [2]);
    await db.query(`INSERT INTO notes (id, body) VALUES (0, 'again')`);
    const spans = dbSpans(await t.spans());
    expect(spans).toHaveLength(304);
    const selects = spans.filter((span) => span.name === 'SELECT notes');
    expect(selects.map((span) => span.attributes['db.query.text'])).toEqual([
      'SELECT body FROM notes WHERE id = $1',
      'SELECT body FROM notes WHERE id = $1',
    ]);
    const last = spans.at(-1)!;
    expect(last.name).toBe('INSERT notes');
    expect(last.attributes).toMatchObject({ 'db.query.text': 'INSERT INTO notes (id, body) VALUES (?, ?)', 'db.namespace': 'shapes' });
    expect(spans.every((span) => !String(span.attributes['db.query.text']).includes("'n"))).toBe(true);
  } finally {
    await raw.close();
  }
});

test('no database client fails at once, naming the packages to install', () => {
  for (const missing of [undefined, null, {}]) {
    expect(() => traceDatabase(t.tracing, missing as unknown as Queryable)).toThrow(/npm install pg .*npm install @electric-sql\/pglite/);
  }
});
