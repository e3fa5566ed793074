import { expect, test } from '@playwright/test';
import { userIdProblem } from './session.ts';

test('an opaque user id is accepted; an email, blank or overlong id is refused with the reason', () => {
  expect(userIdProblem('user-42')).toBeUndefined();
  expect(userIdProblem('jane@example.com')).toMatch(/email/);
  expect(userIdProblem('  ')).toMatch(/non-empty/);
  expect(userIdProblem('x'.repeat(200))).toMatch(/longer than 128/);
});
