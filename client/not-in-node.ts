throw new Error(
  'flowtrace/client runs in the browser only. On the server import "flowtrace/server"; ' +
    'a bundler for the browser must resolve with the "browser" condition (Vite does by default).',
);
