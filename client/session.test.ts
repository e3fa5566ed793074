import { expect, test } from '@playwright/test';
import { pendingCounter } from './pending-work.ts';
import { userIdProblem } from './session.ts';

test('an opaque user id is accepted; an email, blank or overlong id is refused with the reason', () => {
  expect(userIdProblem('user-42')).toBeUndefined();
  expect(userIdProblem('jane@example.com')).toMatch(/email/);
  expect(userIdProblem('  ')).toMatch(/non-empty/);
  expect(userIdProblem('x'.repeat(200))).toMatch(/longer than 128/);
});

test('pending work: idle only after close and once every begun piece is done', () => {
  let idle = 0;
  const pending = pendingCounter(() => idle++);
  const done = pending.begin();
  pending.close();
  expect(idle).toBe(0);
  done();
  done();
  expect(idle).toBe(1);
});
