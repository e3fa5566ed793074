/**
 * flowtrace's fixture plus the database switch: the `e2e-postgres` project needs DATABASE_URL and
 * says so when it is skipped.
 */
import { test as flowtraceTest } from 'flowtrace/testing';

export { expect } from 'flowtrace/testing';

export const test = flowtraceTest.extend<{ requireDatabase: void }>({
  requireDatabase: [
    async ({}, use, testInfo) => {
      testInfo.skip(
        testInfo.project.name === 'e2e-postgres' && !process.env.DATABASE_URL,
        'PostgreSQL run skipped: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run it',
      );
      await use();
    },
    { auto: true },
  ],
});
