throw new Error(
  'flowtrace/testing runs in Playwright (Node) only; ' +
    'if a bundler picked this file, it resolved "flowtrace/testing" with the "browser" condition.',
);
