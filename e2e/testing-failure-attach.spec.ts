/**
 * On failure the fixture attaches the test's traces to the report. Proven by running a failing
 * test in a nested Playwright (JSON reporter) against the same demo server and reading its report.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures.ts';

const FAILING_SPEC = `
import { expect, test } from 'flowtrace/testing';

test('fails on purpose', async ({ request, traces }) => {
  const account = { displayName: 'Nested', email: 'nested-' + crypto.randomUUID() + '@example.test', password: 'nested-password' };
  await request.post('/api/auth/register', { data: account });
  await request.post('/api/rooms', {
    headers: { baggage: 'flowtrace.test_id=' + traces.testId },
    data: { name: 'nested failure' },
  });
  expect(await traces.one()).toHaveSpanTree('server: DELETE /api/rooms');
});
`;

const CONFIG = (baseURL: string) => `
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from 'flowtrace/testing';
export default defineConfig({
  testDir: '.',
  testMatch: 'failing.spec.ts',
  retries: 0,
  workers: 1,
  use: { baseURL: ${JSON.stringify(baseURL)}, launchOptions: chromiumLaunchOptions() },
});
`;

interface JsonAttachment {
  name: string;
  contentType: string;
  body?: string;
}

test('a failing test gets its trace attached to the report as text and HTML', async ({ baseURL }, testInfo) => {
  test.setTimeout(180_000);
  const dir = testInfo.outputPath('nested');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'failing.spec.ts'), FAILING_SPEC);
  writeFileSync(join(dir, 'playwright.config.ts'), CONFIG(baseURL!));
  const report = join(dir, 'report.json');
  const run = spawnSync(process.execPath, ['node_modules/@playwright/test/cli.js', 'test', '-c', join(dir, 'playwright.config.ts'), '--reporter=json', `--output=${join(dir, 'results')}`], {
    env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: report, CI: '' },
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(1); // the nested test failed, as intended

  const json = JSON.parse(readFileSync(report, 'utf8'));
  const result = json.suites[0].specs[0].tests[0].results[0] as { status: string; errors: Array<{ message: string }>; attachments: JsonAttachment[] };
  expect(result.status).toBe('failed');
  expect(result.errors[0]!.message).toContain('Actual trace (role: name [kind] +start duration):');
  const byName = new Map(result.attachments.map((a) => [a.name, a]));
  const text = Buffer.from(byName.get('flowtrace-traces.txt')!.body!, 'base64').toString();
  // The server span's children in start order: the session lookup, the validation, the rows.
  const line = (indent: number, role: string, name: string, kind: string) => String.raw`${' '.repeat(indent)}${role}: ${name} \[${kind}\] \+[\d.]+ms [\d.]+ms`;
  const tree = [
    line(0, 'server', 'POST /api/rooms', 'server'),
    line(2, 'server', 'auth\\.session', 'internal'),
    line(4, 'db', 'SELECT sessions', 'client'),
    line(2, 'server', 'room\\.validate', 'internal'),
    line(2, 'server', 'room\\.create', 'internal'),
    line(4, 'db', 'INSERT rooms', 'client'),
    line(4, 'db', 'INSERT room_members', 'client'),
  ];
  expect(text).toMatch(new RegExp(tree.join('\n')));
  const html = Buffer.from(byName.get('flowtrace-traces.html')!.body!, 'base64').toString();
  expect(byName.get('flowtrace-traces.html')!.contentType).toBe('text/html');
  expect(html).toContain('<title>flowtrace: fails on purpose</title>');
  expect(html).toContain('INSERT rooms');
});
