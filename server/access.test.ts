import type { IncomingMessage, ServerResponse } from 'node:http';
import { expect, test } from '@playwright/test';
import { createAccessCheck } from './access.ts';

const TOKEN = '0123456789abcdef0123';

/** The two things the check reads and writes: request headers and a response header. */
function exchange(headers: Record<string, string> = {}) {
  const set: Record<string, string> = {};
  const req = { headers } as unknown as IncomingMessage;
  const res = { setHeader: (key: string, value: string) => (set[key] = value) } as unknown as ServerResponse;
  return { req, res, set };
}
const url = (query = '') => new URL(`http://localhost/flowtrace/viewer${query}`);

test('open by default outside production, closed by default in production', async () => {
  const { req, res } = exchange();
  expect(await createAccessCheck({ open: true })(req, res, url())).toBe(true);
  expect(await createAccessCheck({ open: false })(req, res, url())).toBe(false);
  const saved = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    expect(await createAccessCheck()(req, res, url())).toBe(false);
  } finally {
    process.env.NODE_ENV = saved;
  }
});

test('a token grants access as a bearer header, or once in the query and then as a cookie', async () => {
  const check = createAccessCheck({ token: TOKEN });
  expect(await check(exchange().req, exchange().res, url())).toBe(false);
  expect(await check(exchange({ authorization: `Bearer ${TOKEN}` }).req, exchange().res, url())).toBe(true);
  expect(await check(exchange({ authorization: 'Bearer wrong-token-wrong-tok' }).req, exchange().res, url())).toBe(false);
  const first = exchange();
  expect(await check(first.req, first.res, url(`?token=${TOKEN}`))).toBe(true);
  expect(first.set['set-cookie']).toBe(`flowtrace_token=${TOKEN}; Path=/flowtrace; HttpOnly; SameSite=Strict`);
  expect(await check(exchange({ cookie: `other=1; flowtrace_token=${TOKEN}` }).req, exchange().res, url())).toBe(true);
});

test('a role check decides for requests without the token', async () => {
  const check = createAccessCheck({ allow: (req) => req.headers['x-role'] === 'admin' });
  expect(await check(exchange({ 'x-role': 'admin' }).req, exchange().res, url())).toBe(true);
  expect(await check(exchange({ 'x-role': 'guest' }).req, exchange().res, url())).toBe(false);
});

test('a short token is refused at setup, saying how to make one', () => {
  expect(() => createAccessCheck({ token: 'short' })).toThrow('flowtrace: access token must be at least 16 characters; generate one with `openssl rand -hex 16`');
});
