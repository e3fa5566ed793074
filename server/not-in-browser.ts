throw new Error(
  'flowtrace/server runs in Node only. In browser code import "flowtrace/client" instead; ' +
    'if a bundler picked this file, it resolved "flowtrace/server" with the "browser" condition.',
);
