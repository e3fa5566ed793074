import { expect, test } from '@playwright/test';
import { OpenWork } from './open-work.ts';

test('pending work: a span is idle only once every piece begun under it is done (each counted once)', () => {
  const work = new OpenWork();
  let idle = 0;
  const done = work.begin('span-1');
  const other = work.begin('span-1');
  work.whenIdle('span-1', () => idle++);
  done();
  done();
  expect(idle).toBe(0);
  other();
  expect(idle).toBe(1);
});

test('a span with no open work is idle right away', () => {
  const work = new OpenWork();
  let idle = 0;
  work.whenIdle('span-2', () => idle++);
  expect(idle).toBe(1);
  expect(work.openSpans).toBe(0);
});
